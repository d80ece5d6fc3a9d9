package dev.turnpike.controlplane.web;

import static dev.turnpike.db.Tables.OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import dev.turnpike.testkit.tls.BackendCertificates;
import dev.turnpike.testkit.tls.BackendCertificates.Issued;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS to backends through the management API, on a real PostgreSQL: an integration's tlsConfig (and
 * the warning that comes with skipping verification), a stage's client certificate (checked, its
 * key never answered, sealed on the config feed) and what a deployment publishes of them.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendTlsManagementTest {
  final String secretKey = SealedSecrets.newBase64Key();
  final Issued ca = BackendCertificates.ca("Backend CA");
  final Issued clientCa = BackendCertificates.ca("Client CA");
  final Issued client = BackendCertificates.client(clientCa, "gateway-client");

  TestControlPlane cp;
  ApiClient api;
  DSLContext owner;
  String token;
  Fixture fx;

  @BeforeAll
  void start(TestDatabase db) {
    cp = TestControlPlane.start(db, null, Map.of("TURNPIKE_SECRET_KEY", secretKey));
    api = cp.client();
    owner = db.ownerDsl();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  static String apiPath(String tenant, String apiId) {
    return "/v1/tenants/" + tenant + "/apis/" + apiId;
  }

  static JsonObject httpProxy(JsonObject tlsConfig) {
    return new JsonObject()
        .put("type", "http_proxy")
        .put("httpMethod", "ANY")
        .put("uri", "https://backend.example.com/{proxy}")
        .put("tlsConfig", tlsConfig);
  }

  DeploymentSnapshot published(String tenant, String apiId, String stage) {
    String key = Topics.deploymentKey(tenant, apiId, stage);
    byte[] payload =
        owner
            .select(OUTBOX.PAYLOAD)
            .from(OUTBOX)
            .where(
                OUTBOX.TENANT_ID.eq(UUID.fromString(tenant)),
                OUTBOX.TOPIC.eq(Topics.DEPLOYMENTS),
                OUTBOX.MESSAGE_KEY.eq(key))
            .orderBy(OUTBOX.ID.desc())
            .limit(1)
            .fetchOne(OUTBOX.PAYLOAD);
    assertThat(new String(payload, StandardCharsets.UTF_8)).doesNotContain("PRIVATE KEY");
    return DeploymentSnapshot.CODEC.decode(payload);
  }

  ApiClient.Answer putCertificate(String tenant, String apiId, String stageId, Object body) {
    return api.put(
        token, apiPath(tenant, apiId) + "/stages/" + stageId + "/client-certificate", body);
  }

  @Test
  void an_integrations_tls_config_is_kept_and_skipping_verification_answers_a_warning() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    ApiClient.Answer created =
        api.post(
            token,
            apiPath(tenant, apiId) + "/integrations",
            httpProxy(
                new JsonObject()
                    .put("trustedCaPem", ca.certificatePem())
                    .put("serverNameToVerify", "backend.internal")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonObject tls = created.json().getJsonObject("tlsConfig");
    assertThat(tls.getString("trustedCaPem")).isEqualTo(ca.certificatePem());
    assertThat(tls.getString("serverNameToVerify")).isEqualTo("backend.internal");
    assertThat(created.json().containsKey("warnings")).isFalse();

    String id = created.json().getString("id");
    ApiClient.Answer insecure =
        api.put(
            token,
            apiPath(tenant, apiId) + "/integrations/" + id,
            httpProxy(new JsonObject().put("insecureSkipVerification", true)));
    assertThat(insecure.status()).as(insecure.toString()).isEqualTo(200);
    assertThat(insecure.json().getJsonObject("tlsConfig").getBoolean("insecureSkipVerification"))
        .isTrue();
    assertThat(insecure.json().getJsonArray("warnings").getString(0))
        .contains("insecureSkipVerification is on");
    assertThat(
            api.get(token, apiPath(tenant, apiId) + "/integrations/" + id)
                .json()
                .getJsonArray("warnings"))
        .hasSize(1);
  }

  @Test
  void a_bad_tls_config_is_refused_with_400_naming_the_field() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String path = apiPath(tenant, apiId) + "/integrations";

    ApiClient.Answer garbage =
        api.post(token, path, httpProxy(new JsonObject().put("trustedCaPem", "not a pem")));
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.body()).contains("/tlsConfig/trustedCaPem");

    ApiClient.Answer badName =
        api.post(
            token,
            path,
            httpProxy(new JsonObject().put("serverNameToVerify", "no spaces.example")));
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.body()).contains("/tlsConfig/serverNameToVerify");

    ApiClient.Answer onMock =
        api.post(
            token,
            path,
            new JsonObject()
                .put("type", "mock")
                .put("mock", new JsonObject().put("statusCode", 200))
                .put("tlsConfig", new JsonObject().put("insecureSkipVerification", true)));
    assertThat(onMock.status()).isEqualTo(400);
    assertThat(onMock.body()).contains("/tlsConfig");
  }

  @Test
  void a_stages_client_certificate_reaches_its_http_integrations_sealed_and_is_never_answered() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String plain = fx.integration(tenant, apiId);
    String withCa =
        fx.created(
                apiPath(tenant, apiId) + "/integrations",
                httpProxy(new JsonObject().put("trustedCaPem", ca.certificatePem())))
            .getString("id");
    String mock =
        fx.created(
                apiPath(tenant, apiId) + "/integrations",
                new JsonObject()
                    .put("type", "mock")
                    .put("mock", new JsonObject().put("statusCode", 200)))
            .getString("id");
    fx.route(tenant, apiId, plain, "GET", "/plain");
    fx.route(tenant, apiId, withCa, "GET", "/ca");
    fx.route(tenant, apiId, mock, "GET", "/mock");
    String stageId = fx.stage(tenant, apiId, "prod");
    fx.deploy(tenant, apiId, stageId);

    ApiClient.Answer put =
        putCertificate(
            tenant,
            apiId,
            stageId,
            new JsonObject()
                .put("certificatePem", client.certificatePem())
                .put("privateKeyPem", client.privateKeyPem()));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.json().getString("subject")).isEqualTo("CN=gateway-client");
    assertThat(put.body()).doesNotContain("PRIVATE KEY").doesNotContain("v1:");
    ApiClient.Answer read =
        api.get(token, apiPath(tenant, apiId) + "/stages/" + stageId + "/client-certificate");
    assertThat(read.json().getString("certificatePem")).isEqualTo(client.certificatePem());
    assertThat(read.body()).doesNotContain("PRIVATE KEY").doesNotContain("v1:");
    assertThat(api.get(token, apiPath(tenant, apiId) + "/stages/" + stageId).body())
        .doesNotContain("PRIVATE KEY");

    // Uploading republished the deployed stage: its http integrations present the certificate.
    DeploymentSnapshot snapshot = published(tenant, apiId, "prod");
    BackendTls plainTls = integrationAt(snapshot, "/plain").tls();
    BackendTls caTls = integrationAt(snapshot, "/ca").tls();
    assertThat(integrationAt(snapshot, "/mock").tls()).isNull();
    assertThat(caTls.trustedCaPem()).isEqualTo(ca.certificatePem());
    for (BackendTls tls : List.of(plainTls, caTls)) {
      BackendTls.ClientCertificate presented = tls.clientCertificate();
      assertThat(presented.certificatePem()).isEqualTo(client.certificatePem());
      assertThat(
              SealedSecrets.fromBase64Key(secretKey)
                  .open(presented.sealedPrivateKey(), presented.binding(tenant)))
          .isEqualTo(client.privateKeyPem());
    }

    // Removing it republishes the stage without it.
    assertThat(
            api.delete(token, apiPath(tenant, apiId) + "/stages/" + stageId + "/client-certificate")
                .status())
        .isEqualTo(204);
    DeploymentSnapshot after = published(tenant, apiId, "prod");
    assertThat(integrationAt(after, "/plain").tls()).isNull();
    assertThat(integrationAt(after, "/ca").tls().clientCertificate()).isNull();
    assertThat(
            api.get(token, apiPath(tenant, apiId) + "/stages/" + stageId + "/client-certificate")
                .status())
        .isEqualTo(404);
  }

  @Test
  void a_sealed_key_copied_to_another_tenants_stage_does_not_open() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String stageId = fx.stage(tenant, apiId, "prod");
    putCertificate(
        tenant,
        apiId,
        stageId,
        new JsonObject()
            .put("certificatePem", client.certificatePem())
            .put("privateKeyPem", client.privateKeyPem()));
    fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/x");
    fx.deploy(tenant, apiId, stageId);
    BackendTls.ClientCertificate presented =
        integrationAt(published(tenant, apiId, "prod"), "/x").tls().clientCertificate();

    SealedSecrets secrets = SealedSecrets.fromBase64Key(secretKey);
    String otherTenant = UUID.randomUUID().toString();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> secrets.open(presented.sealedPrivateKey(), presented.binding(otherTenant)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_client_certificate_that_does_not_parse_match_its_key_or_is_expired_is_refused_with_400() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String stageId = fx.stage(tenant, apiId, "prod");

    ApiClient.Answer garbage =
        putCertificate(
            tenant,
            apiId,
            stageId,
            new JsonObject().put("certificatePem", "nope").put("privateKeyPem", "nope"));
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.body()).contains("/certificatePem").contains("/privateKeyPem");

    Issued other = BackendCertificates.client(clientCa, "someone-else");
    ApiClient.Answer mismatched =
        putCertificate(
            tenant,
            apiId,
            stageId,
            new JsonObject()
                .put("certificatePem", client.certificatePem())
                .put("privateKeyPem", other.privateKeyPem()));
    assertThat(mismatched.status()).isEqualTo(400);
    assertThat(mismatched.body()).contains("/privateKeyPem").contains("is not the key");

    Instant now = Instant.now();
    Issued expired =
        BackendCertificates.leaf(
            clientCa,
            "expired",
            List.of(),
            now.minus(Duration.ofDays(10)),
            now.minus(Duration.ofDays(1)));
    ApiClient.Answer late =
        putCertificate(
            tenant,
            apiId,
            stageId,
            new JsonObject()
                .put("certificatePem", expired.certificatePem())
                .put("privateKeyPem", expired.privateKeyPem()));
    assertThat(late.status()).isEqualTo(400);
    assertThat(late.body()).contains("/certificatePem").contains("expired");
    assertThat(
            api.get(token, apiPath(tenant, apiId) + "/stages/" + stageId + "/client-certificate")
                .status())
        .isEqualTo(404);
  }

  static IntegrationConfig integrationAt(DeploymentSnapshot snapshot, String path) {
    return snapshot.routes().stream()
        .filter(r -> r.resourcePath().equals(path))
        .map(RouteConfig::integration)
        .findFirst()
        .orElseThrow();
  }
}
