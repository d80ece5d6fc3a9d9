package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.CompressionConfig;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Apis.CreateApi;
import dev.turnpike.controlplane.api.Apis.UpdateApi;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Integrations.IntegrationInput;
import dev.turnpike.controlplane.api.Integrations.MockInput;
import dev.turnpike.controlplane.api.Routes.RouteInput;
import dev.turnpike.controlplane.deployment.Deployments.CreateDeployment;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.Stages.CreateStage;
import dev.turnpike.controlplane.deployment.Stages.UpdateStage;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An API's and a stage's resource policy and the API's compression settings: validated with a 400
 * naming the bad entry, frozen with a deployment, merged into the stage's snapshot.
 */
class EdgeSettingsUseCasesTest {
  private final Tenancy t = new Tenancy();

  private static CreateApi api(SourceIpPolicy policy, Integer minimumSize, Boolean decompress) {
    return new CreateApi(
        "pets", "pets", null, null, null, null, policy, minimumSize, decompress, null);
  }

  private void addRoute(Api api) {
    Integration integration =
        t.write(
            tx ->
                t.u
                    .integrations()
                    .create(
                        tx,
                        api.id(),
                        new IntegrationInput(
                            "mock", null, null, null, null, null, new MockInput(200, null, "{}"))));
    t.write(
        tx ->
            t.u
                .routes()
                .create(tx, api.id(), new RouteInput("GET", "/pets", false, integration.id())));
  }

  private DeploymentSnapshot lastSnapshot() {
    List<MemoryOutbox.Entry> entries = t.cp.outbox(t.tenant);
    return DeploymentSnapshot.CODEC.decode(entries.getLast().payload());
  }

  @Test
  void a_bad_cidr_is_refused_naming_the_entry_and_nothing_is_created() {
    ApiFailure failure =
        t.failure(
            tx ->
                t.u
                    .apis()
                    .create(
                        tx,
                        api(
                            new SourceIpPolicy(List.of("10.0.0.0/8"), List.of("300.1.1.1")),
                            null,
                            null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
    assertThat(failure.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.pointer()).isEqualTo("/sourceIpPolicy");
              assertThat(e.message()).contains("denyCidrs[0]", "300.1.1.1");
            });
    List<Api> apis = t.write(tx -> t.u.apis().list(tx));
    assertThat(apis).isEmpty();
  }

  @Test
  void a_minimum_compression_size_outside_api_gateways_range_is_refused() {
    ApiFailure failure = t.failure(tx -> t.u.apis().create(tx, api(null, 10_485_761, null)));

    assertThat(failure.errors())
        .extracting(FieldError::pointer)
        .containsExactly("/minimumCompressionSize");
  }

  @Test
  void a_stage_with_a_bad_cidr_is_refused() {
    Api api = t.write(tx -> t.u.apis().create(tx, api(null, null, null)));

    ApiFailure failure =
        t.failure(
            tx ->
                t.u
                    .stages()
                    .create(
                        tx,
                        api.id(),
                        new CreateStage(
                            "prod",
                            null,
                            null,
                            null,
                            null,
                            null,
                            new SourceIpPolicy(List.of("10.1.2.3/16"), List.of()))));

    assertThat(failure.errors())
        .singleElement()
        .satisfies(
            e -> assertThat(e.message()).contains("allowCidrs[0]", "did you mean 10.1.0.0/16"));
  }

  @Test
  void deploying_merges_the_apis_and_the_stages_rules_and_carries_compression() {
    Api api =
        t.write(
            tx ->
                t.u
                    .apis()
                    .create(
                        tx,
                        api(
                            new SourceIpPolicy(List.of("10.0.0.0/8"), List.of("10.9.0.0/16")),
                            1024,
                            true)));
    addRoute(api);
    Stage prod =
        t.write(
            tx ->
                t.u
                    .stages()
                    .create(
                        tx,
                        api.id(),
                        new CreateStage(
                            "prod",
                            null,
                            null,
                            null,
                            null,
                            null,
                            new SourceIpPolicy(List.of("192.168.0.0/16"), List.of("10.1.1.1")))));

    t.write(tx -> t.u.deployments().create(tx, api.id(), new CreateDeployment(prod.id(), null)));

    DeploymentSnapshot snapshot = lastSnapshot();
    assertThat(snapshot.edge().sourceIpPolicy())
        .isEqualTo(
            new SourceIpPolicy(
                List.of("10.0.0.0/8", "192.168.0.0/16"), List.of("10.9.0.0/16", "10.1.1.1")));
    assertThat(snapshot.edge().compression()).isEqualTo(new CompressionConfig(1024, true));
    assertThat(snapshot.edge().cors()).isNull();
  }

  @Test
  void cors_and_the_edge_settings_keep_each_other_on_save_and_deploy_together() {
    CorsConfiguration cors =
        new CorsConfiguration(
            List.of("https://app.example.com"), List.of("GET"), null, null, null, null);
    SourceIpPolicy policy = new SourceIpPolicy(List.of("10.0.0.0/8"), List.of());
    Api api = t.write(tx -> t.u.apis().create(tx, api(policy, 1024, true)));
    addRoute(api);
    // The console's CORS form saves CORS alone; then its edge form saves the edge settings alone.
    t.write(tx -> t.u.apis().update(tx, api.id(), UpdateApi.of(api).withCors(cors)));
    Api withCors = t.write(tx -> t.u.apis().get(tx, api.id()));
    assertThat(withCors.sourceIpPolicy()).isEqualTo(policy);
    assertThat(withCors.minimumCompressionSize()).isEqualTo(1024);
    Api both =
        t.write(
            tx ->
                t.u.apis().update(tx, api.id(), UpdateApi.withEdge(withCors, policy, 2048, false)));
    assertThat(both.corsConfiguration()).isNotNull();
    assertThat(both.corsConfiguration().allowOrigins()).containsExactly("https://app.example.com");
    Stage prod =
        t.write(
            tx ->
                t.u
                    .stages()
                    .create(tx, api.id(), new CreateStage("prod", null, null, null, null, null)));

    t.write(tx -> t.u.deployments().create(tx, api.id(), new CreateDeployment(prod.id(), null)));

    DeploymentSnapshot snapshot = lastSnapshot();
    assertThat(snapshot.edge().cors().allowOrigins()).containsExactly("https://app.example.com");
    assertThat(snapshot.edge().sourceIpPolicy()).isEqualTo(policy);
    assertThat(snapshot.edge().compression()).isEqualTo(new CompressionConfig(2048, false));
  }

  @Test
  void a_stage_policy_applies_at_once_and_an_api_change_only_with_the_next_deployment() {
    Api api = t.write(tx -> t.u.apis().create(tx, api(null, null, null)));
    addRoute(api);
    Stage prod =
        t.write(
            tx ->
                t.u
                    .stages()
                    .create(tx, api.id(), new CreateStage("prod", null, null, null, null, null)));
    t.write(tx -> t.u.deployments().create(tx, api.id(), new CreateDeployment(prod.id(), null)));
    assertThat(lastSnapshot().edge().sourceIpPolicy()).isNull();

    t.write(
        tx ->
            t.u
                .stages()
                .update(
                    tx,
                    api.id(),
                    prod.id(),
                    new UpdateStage(
                        null,
                        null,
                        null,
                        null,
                        null,
                        new SourceIpPolicy(List.of(), List.of("203.0.113.0/24")))));
    assertThat(lastSnapshot().edge().sourceIpPolicy())
        .isEqualTo(new SourceIpPolicy(List.of(), List.of("203.0.113.0/24")));

    t.write(
        tx ->
            t.u
                .apis()
                .update(
                    tx,
                    api.id(),
                    new UpdateApi(
                        "pets",
                        null,
                        null,
                        null,
                        null,
                        new SourceIpPolicy(List.of("198.51.100.0/24"), List.of()),
                        0,
                        false,
                        null)));
    // An API's settings reach the gateway through a deployment, as in API Gateway.
    assertThat(lastSnapshot().edge().sourceIpPolicy().allowCidrs()).isEmpty();
    assertThat(lastSnapshot().edge().compression()).isNull();

    t.write(tx -> t.u.deployments().create(tx, api.id(), new CreateDeployment(prod.id(), null)));
    assertThat(lastSnapshot().edge().sourceIpPolicy())
        .isEqualTo(new SourceIpPolicy(List.of("198.51.100.0/24"), List.of("203.0.113.0/24")));
    assertThat(lastSnapshot().edge().compression()).isEqualTo(new CompressionConfig(0, false));
  }
}
