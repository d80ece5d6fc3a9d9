package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.CanaryConfig;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Apis.CreateApi;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Integrations.IntegrationInput;
import dev.turnpike.controlplane.api.Integrations.MockInput;
import dev.turnpike.controlplane.api.Routes.RouteInput;
import dev.turnpike.controlplane.deployment.CanarySettings;
import dev.turnpike.controlplane.deployment.DeploymentDetail;
import dev.turnpike.controlplane.deployment.Deployments.CreateDeployment;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.StageCanary;
import dev.turnpike.controlplane.deployment.Stages.CreateStage;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A stage's canary: set, promote, delete, what is published, and what is refused. */
class CanaryUseCasesTest {
  private final Tenancy t = new Tenancy();
  Api api;
  Stage prod;
  DeploymentDetail base;
  DeploymentDetail candidate;

  static Api apiWithRoute(Tenancy on, String slug) {
    Api api =
        on.write(tx -> on.u.apis().create(tx, new CreateApi(slug, slug, null, null, null, null)));
    Integration integration =
        on.write(
            tx ->
                on.u
                    .integrations()
                    .create(
                        tx,
                        api.id(),
                        new IntegrationInput(
                            "mock", null, null, null, null, null, new MockInput(200, null, "{}"))));
    on.write(
        tx ->
            on.u
                .routes()
                .create(tx, api.id(), new RouteInput("GET", "/pets", false, integration.id())));
    return api;
  }

  static Stage stage(Tenancy on, Api api, String name, Map<String, String> variables) {
    return on.write(
        tx ->
            on.u
                .stages()
                .create(tx, api.id(), new CreateStage(name, null, variables, null, null, null)));
  }

  static DeploymentDetail deploy(Tenancy on, Api api, Stage stage) {
    return on.write(
        tx -> on.u.deployments().create(tx, api.id(), new CreateDeployment(stage.id(), null)));
  }

  @BeforeEach
  void deployed() {
    api = apiWithRoute(t, "pets");
    prod = stage(t, api, "prod", Map.of("color", "blue", "size", "m"));
    Stage beta = stage(t, api, "beta", Map.of());
    base = deploy(t, api, prod);
    candidate = deploy(t, api, beta);
  }

  CanarySettings settings(UUID deploymentId, Double percent, Map<String, String> overrides) {
    return new CanarySettings(deploymentId, percent, overrides, null, null);
  }

  Stage setCanary(CanarySettings in) {
    return t.write(tx -> t.u.stages().setCanary(tx, api.id(), prod.id(), in));
  }

  DeploymentSnapshot lastPublished() {
    var entries = t.cp.outbox(t.tenant);
    return DeploymentSnapshot.CODEC.decode(entries.get(entries.size() - 1).payload());
  }

  Stage current() {
    return t.write(tx -> t.u.stages().get(tx, api.id(), prod.id()));
  }

  @Test
  void a_canary_is_stored_published_beside_the_base_and_audited() {
    Stage after = setCanary(settings(candidate.id(), 12.5, Map.of("color", "green")));

    assertThat(after.canary())
        .isEqualTo(new StageCanary(candidate.id(), 12.5, Map.of("color", "green"), true, 300));
    assertThat(current().canary()).isEqualTo(after.canary());
    DeploymentSnapshot published = lastPublished();
    assertThat(published.deploymentId()).isEqualTo(base.id().toString());
    assertThat(published.stageVariables()).isEqualTo(Map.of("color", "blue", "size", "m"));
    CanaryConfig canary = published.canary();
    assertThat(canary.percentTraffic()).isEqualTo(12.5);
    assertThat(canary.useStageCache()).isTrue();
    assertThat(canary.stickinessSeconds()).isEqualTo(300);
    assertThat(canary.deployment().deploymentId()).isEqualTo(candidate.id().toString());
    assertThat(canary.deployment().stage()).isEqualTo("prod");
    assertThat(canary.deployment().stageVariables())
        .isEqualTo(Map.of("color", "green", "size", "m"));
    assertThat(t.cp.audit(t.tenant)).extracting(e -> e.action()).contains("stage.canary.update");
  }

  @Test
  void promotion_makes_the_canary_the_stage_deployment_and_merges_its_overrides() {
    setCanary(settings(candidate.id(), 50.0, Map.of("color", "green", "tier", "gold")));

    Stage promoted = t.write(tx -> t.u.stages().promoteCanary(tx, api.id(), prod.id()));

    assertThat(promoted.deploymentId()).isEqualTo(candidate.id());
    assertThat(promoted.variables())
        .isEqualTo(Map.of("color", "green", "size", "m", "tier", "gold"));
    assertThat(promoted.canary()).isNull();
    DeploymentSnapshot published = lastPublished();
    assertThat(published.deploymentId()).isEqualTo(candidate.id().toString());
    assertThat(published.canary()).isNull();
    assertThat(published.stageVariables()).containsEntry("tier", "gold");
    assertThat(t.cp.audit(t.tenant)).extracting(e -> e.action()).contains("stage.canary.promote");
  }

  @Test
  void deleting_the_canary_publishes_the_base_alone_and_is_audited() {
    setCanary(settings(candidate.id(), 5.0, null));

    Stage after = t.write(tx -> t.u.stages().deleteCanary(tx, api.id(), prod.id()));

    assertThat(after.canary()).isNull();
    assertThat(after.deploymentId()).isEqualTo(base.id());
    assertThat(lastPublished().canary()).isNull();
    assertThat(t.cp.audit(t.tenant)).extracting(e -> e.action()).contains("stage.canary.delete");
  }

  @Test
  void promoting_a_stage_without_a_canary_is_a_conflict() {
    ApiFailure failure = t.failure(tx -> t.u.stages().promoteCanary(tx, api.id(), prod.id()));
    assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
    assertThat(current().deploymentId()).isEqualTo(base.id());
  }

  @Test
  void a_stage_without_a_deployment_cannot_have_a_canary() {
    Stage empty = stage(t, api, "empty", Map.of());
    ApiFailure failure =
        t.failure(
            tx ->
                t.u
                    .stages()
                    .setCanary(tx, api.id(), empty.id(), settings(candidate.id(), 10.0, null)));
    assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
  }

  @Nested
  class Refused_input_changes_nothing {
    void refused(CanarySettings in, String... pointers) {
      int published = t.cp.outbox(t.tenant).size();
      int audited = t.cp.audit(t.tenant).size();
      ApiFailure failure = t.failure(tx -> t.u.stages().setCanary(tx, api.id(), prod.id(), in));
      assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
      assertThat(failure.errors()).extracting(FieldError::pointer).contains(pointers);
      assertThat(current().canary()).isNull();
      assertThat(t.cp.outbox(t.tenant)).hasSize(published);
      assertThat(t.cp.audit(t.tenant)).hasSize(audited);
    }

    @Test
    void a_percentage_out_of_range_or_finer_than_a_tenth() {
      refused(settings(candidate.id(), 100.1, null), "/percentTraffic");
      refused(settings(candidate.id(), -1.0, null), "/percentTraffic");
      refused(settings(candidate.id(), 12.55, null), "/percentTraffic");
      refused(settings(candidate.id(), null, null), "/percentTraffic");
    }

    @Test
    void an_unknown_deployment() {
      refused(settings(UUID.randomUUID(), 10.0, null), "/deploymentId");
      refused(settings(null, 10.0, null), "/deploymentId");
    }

    @Test
    void bad_variable_names_and_values() {
      refused(
          settings(candidate.id(), 10.0, Map.of("bad-name", "x")),
          "/stageVariableOverrides/bad-name");
      refused(
          settings(candidate.id(), 10.0, Map.of("ok", "spaces are not allowed")),
          "/stageVariableOverrides/ok");
    }

    @Test
    void a_stickiness_out_of_range() {
      refused(new CanarySettings(candidate.id(), 10.0, null, null, 0), "/stickinessSeconds");
      refused(new CanarySettings(candidate.id(), 10.0, null, null, 86_401), "/stickinessSeconds");
    }

    @Test
    void a_deployment_of_another_api_of_the_same_tenant() {
      Api other = apiWithRoute(t, "orders");
      DeploymentDetail foreign = deploy(t, other, stage(t, other, "prod", Map.of()));
      refused(settings(foreign.id(), 10.0, null), "/deploymentId");
    }
  }

  @Test
  void a_tenant_cannot_name_another_tenants_deployment() {
    // Attack: globex learns acme's deployment id and names it as its own stage's canary.
    Tenancy globex = new Tenancy(t.cp, "mallory@example.com", "globex");
    Api theirs = apiWithRoute(globex, "pets");
    Stage theirProd = stage(globex, theirs, "prod", Map.of());
    deploy(globex, theirs, theirProd);
    int published = t.cp.outbox(globex.tenant).size();

    ApiFailure failure =
        globex.failure(
            tx ->
                globex
                    .u
                    .stages()
                    .setCanary(
                        tx,
                        theirs.id(),
                        theirProd.id(),
                        new CanarySettings(candidate.id(), 50.0, null, null, null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
    assertThat(failure.errors()).extracting(FieldError::pointer).containsExactly("/deploymentId");
    assertThat(t.cp.outbox(globex.tenant)).hasSize(published);
    // Nor can it touch acme's stage through its own API id.
    ApiFailure promote =
        globex.failure(tx -> globex.u.stages().promoteCanary(tx, api.id(), prod.id()));
    assertThat(promote.kind()).isEqualTo(ProblemKind.NOT_FOUND);
    assertThat(List.of(current().deploymentId())).containsExactly(base.id());
  }
}
