package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Apis.CreateApi;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Integrations.IntegrationInput;
import dev.turnpike.controlplane.api.Integrations.MockInput;
import dev.turnpike.controlplane.api.Routes.RouteInput;
import dev.turnpike.controlplane.deployment.Delivery;
import dev.turnpike.controlplane.deployment.Deployment;
import dev.turnpike.controlplane.deployment.DeploymentDetail;
import dev.turnpike.controlplane.deployment.Deployments.CreateDeployment;
import dev.turnpike.controlplane.deployment.Deployments.Rollback;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.Stages.CreateStage;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules of stages and deployments, and what they publish, on in-memory stores. */
class DeploymentUseCasesTest {
  private final Tenancy t = new Tenancy();

  private static CreateStage stage(String name) {
    return new CreateStage(name, null, null, null, null, null);
  }

  private Api apiWithRoute(Tenancy on, String slug, String mockBody) {
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
                            "mock",
                            null,
                            null,
                            null,
                            null,
                            null,
                            new MockInput(200, null, mockBody))));
    on.write(
        tx ->
            on.u
                .routes()
                .create(tx, api.id(), new RouteInput("GET", "/pets", false, integration.id())));
    return api;
  }

  private DeploymentDetail deploy(Api api, Stage stage) {
    return t.write(
        tx -> t.u.deployments().create(tx, api.id(), new CreateDeployment(stage.id(), "first")));
  }

  @Test
  void deploying_publishes_the_stage_snapshot_keyed_by_tenant_api_and_stage() {
    Api api = apiWithRoute(t, "pets", "{}");
    Stage prod = t.write(tx -> t.u.stages().create(tx, api.id(), stage("prod")));

    DeploymentDetail deployed = deploy(api, prod);

    assertThat(t.cp.outbox(t.tenant))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.topic()).isEqualTo(Topics.DEPLOYMENTS);
              assertThat(e.key())
                  .isEqualTo(
                      Topics.deploymentKey(t.tenant.toString(), api.id().toString(), "prod"));
              assertThat(e.deploymentId()).isEqualTo(deployed.id());
              DeploymentSnapshot snapshot = DeploymentSnapshot.CODEC.decode(e.payload());
              assertThat(snapshot.apiSlug()).isEqualTo("pets");
              assertThat(snapshot.tenantSlug()).isEqualTo("acme");
              assertThat(snapshot.routes()).hasSize(1);
            });
    assertThat(t.write(tx -> t.u.stages().get(tx, api.id(), prod.id())).deploymentId())
        .isEqualTo(deployed.id());
  }

  @Test
  void a_deployment_is_pending_until_the_relay_publishes_it() {
    Api api = apiWithRoute(t, "pets", "{}");
    Stage prod = t.write(tx -> t.u.stages().create(tx, api.id(), stage("prod")));
    deploy(api, prod);

    assertThat(t.list(tx -> t.u.deployments().list(tx, api.id())))
        .extracting(d -> d.delivery().status())
        .containsExactly(Delivery.Status.PENDING);
    t.cp.relay();
    assertThat(t.list(tx -> t.u.deployments().list(tx, api.id())))
        .extracting(Deployment::delivery)
        .containsExactly(Delivery.PUBLISHED);
  }

  @Test
  void deploying_an_api_without_routes_is_a_conflict() {
    Api api =
        t.write(tx -> t.u.apis().create(tx, new CreateApi("empty", "e", null, null, null, null)));
    Stage prod = t.write(tx -> t.u.stages().create(tx, api.id(), stage("prod")));

    ApiFailure failure =
        t.failure(
            tx -> t.u.deployments().create(tx, api.id(), new CreateDeployment(prod.id(), null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
    assertThat(t.cp.outbox(t.tenant)).isEmpty();
  }

  @Test
  void a_client_certificate_is_refused_where_the_operator_set_no_secret_key_to_seal_it() {
    Api api = apiWithRoute(t, "pets", "{}");
    Stage prod = t.write(tx -> t.u.stages().create(tx, api.id(), stage("prod")));
    var ca = dev.turnpike.testkit.tls.BackendCertificates.ca("CA");
    var client = dev.turnpike.testkit.tls.BackendCertificates.client(ca, "client");

    ApiFailure failure =
        t.failure(
            tx ->
                t.u
                    .stageClientCertificates()
                    .put(
                        tx,
                        api.id(),
                        prod.id(),
                        new dev.turnpike.controlplane.deployment.StageClientCertificates
                            .ClientCertificateInput(
                            client.certificatePem(), client.privateKeyPem())));

    assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
    assertThat(failure.getMessage()).contains("TURNPIKE_SECRET_KEY");
  }

  @Test
  void a_stage_of_another_api_is_not_a_deployment_target() {
    Api pets = apiWithRoute(t, "pets", "{}");
    Api shop = apiWithRoute(t, "shop", "{}");
    Stage shopProd = t.write(tx -> t.u.stages().create(tx, shop.id(), stage("prod")));

    ApiFailure failure =
        t.failure(
            tx ->
                t.u.deployments().create(tx, pets.id(), new CreateDeployment(shopProd.id(), null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
    assertThat(failure.errors()).extracting(FieldError::pointer).containsExactly("/stageId");
  }

  @Test
  void a_deploy_too_large_to_deliver_is_refused_and_leaves_nothing_behind() {
    Tenancy small =
        new Tenancy(
            Map.of(
                "TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES", "65536",
                "TURNPIKE_CP_LIMIT_RESPONSE_BODY_BYTES", "1048576"));
    // Random text, so the record stays over the limit once compressed.
    byte[] noise = new byte[150_000];
    new Random(7).nextBytes(noise);
    Api api = apiWithRoute(small, "pets", Base64.getEncoder().encodeToString(noise));
    Stage prod = small.write(tx -> small.u.stages().create(tx, api.id(), stage("prod")));

    ApiFailure failure =
        small.failure(
            tx ->
                small.u.deployments().create(tx, api.id(), new CreateDeployment(prod.id(), null)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.DEPLOYMENT_TOO_LARGE);
    // The deployment row and the stage's pointer were written before the refusal: both rolled back.
    assertThat(small.list(tx -> small.u.deployments().list(tx, api.id()))).isEmpty();
    assertThat(small.write(tx -> small.u.stages().get(tx, api.id(), prod.id())).deploymentId())
        .isNull();
    assertThat(small.cp.outbox(small.tenant)).isEmpty();
  }

  @Test
  void a_stage_name_is_unique_within_its_api() {
    Api api = apiWithRoute(t, "pets", "{}");
    t.write(tx -> t.u.stages().create(tx, api.id(), stage("prod")));

    ApiFailure failure = t.failure(tx -> t.u.stages().create(tx, api.id(), stage("prod")));

    assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
    assertThat(failure.detail()).contains("'prod'");
  }

  @Test
  void refuses_a_stage_over_the_apis_limit() {
    Tenancy small = new Tenancy(Map.of("TURNPIKE_CP_LIMIT_STAGES_PER_API", "1"));
    Api api = apiWithRoute(small, "pets", "{}");
    small.write(tx -> small.u.stages().create(tx, api.id(), stage("prod")));

    ApiFailure failure = small.failure(tx -> small.u.stages().create(tx, api.id(), stage("dev")));

    assertThat(failure.kind()).isEqualTo(ProblemKind.LIMIT_EXCEEDED);
  }

  @Test
  void deleting_a_deployed_api_publishes_a_tombstone_for_its_stage() {
    Api api = apiWithRoute(t, "pets", "{}");
    Stage prod = t.write(tx -> t.u.stages().create(tx, api.id(), stage("prod")));
    deploy(api, prod);

    t.run(tx -> t.u.apis().delete(tx, api.id()));

    assertThat(t.cp.outbox(t.tenant))
        .last()
        .satisfies(
            e -> {
              assertThat(e.key())
                  .isEqualTo(
                      Topics.deploymentKey(t.tenant.toString(), api.id().toString(), "prod"));
              assertThat(e.payload()).isNull();
            });
  }

  @Test
  void rolling_back_points_the_stage_at_an_earlier_deployment_and_republishes_it() {
    Api api = apiWithRoute(t, "pets", "{}");
    Stage prod = t.write(tx -> t.u.stages().create(tx, api.id(), stage("prod")));
    DeploymentDetail first = deploy(api, prod);
    t.write(
        tx ->
            t.u
                .routes()
                .create(
                    tx,
                    api.id(),
                    new RouteInput(
                        "POST",
                        "/pets",
                        false,
                        t.u.integrations().list(tx, api.id()).get(0).id())));
    deploy(api, prod);

    Stage rolledBack =
        t.write(
            tx -> t.u.deployments().rollback(tx, api.id(), prod.id(), new Rollback(first.id())));

    assertThat(rolledBack.deploymentId()).isEqualTo(first.id());
    DeploymentSnapshot latest =
        DeploymentSnapshot.CODEC.decode(t.cp.outbox(t.tenant).getLast().payload());
    assertThat(latest.routes()).hasSize(1);
  }

  @Test
  void an_unknown_deployment_is_not_found() {
    Api api = apiWithRoute(t, "pets", "{}");

    ApiFailure failure = t.failure(tx -> t.u.deployments().get(tx, api.id(), UUID.randomUUID()));

    assertThat(failure.kind()).isEqualTo(ProblemKind.NOT_FOUND);
  }
}
