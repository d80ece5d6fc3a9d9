package dev.turnpike.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Owners cannot save an integration whose literal host the egress policy forbids, by the API or by
 * importing an OpenAPI document: the same policy the gateway applies, read from the same settings.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EgressTargetsTest {
  TestDatabase db;
  TestControlPlane strict;
  final String subject = "owner-" + UUID.randomUUID();
  String token;

  @BeforeAll
  void start(TestDatabase db) {
    this.db = db;
    strict = TestControlPlane.start(db);
    token = strict.token(subject);
  }

  @AfterAll
  void stop() {
    strict.close();
  }

  static JsonObject proxyTo(String uri) {
    return new JsonObject().put("type", "http_proxy").put("httpMethod", "ANY").put("uri", uri);
  }

  static String integrations(String tenant, String apiId) {
    return "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations";
  }

  static void assertRefusedAt(ApiClient.Answer answer, String pointer, String reason) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.contentType()).isEqualTo("application/problem+json");
    JsonArray errors = answer.json().getJsonArray("errors");
    assertThat(errors).hasSize(1);
    assertThat(errors.getJsonObject(0).getString("pointer")).isEqualTo(pointer);
    assertThat(errors.getJsonObject(0).getString("message")).contains(reason);
  }

  @Nested
  class At_save {
    final ApiClient api = strict.client();
    final Fixture fx = new Fixture(api, token);

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://127.0.0.1:9090/{proxy}",
          "http://2130706433:9090/metrics",
          "http://0177.0.0.1/",
          "http://0x7f.0.0.1/",
          "http://127.1/",
          "http://[::1]:8080/",
          "http://[::ffff:127.0.0.1]/",
          "http://localhost:8180/realms",
          "https://api.localhost/",
          "http://user@10.0.0.5:8083/stripe",
          "http://metadata.google.internal/computeMetadata/v1/",
          "http://169.254.169.254/latest/meta-data/",
          "http://[fd00:ec2::254]/latest/",
          "http://0.0.0.0:9090/"
        })
    void refuses_literal_hosts_the_policy_forbids_with_a_400_naming_uri(String uri) {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      ApiClient.Answer answer = api.post(token, integrations(tenant, apiId), proxyTo(uri));

      assertRefusedAt(answer, "/uri", "must not point at");
      assertThat(api.get(token, integrations(tenant, apiId)).items()).isEmpty();
    }

    @Test
    void refuses_an_update_to_a_forbidden_host_and_keeps_the_integration() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String id = fx.integration(tenant, apiId);
      String path = integrations(tenant, apiId) + "/" + id;
      JsonObject before = api.get(token, path).json();

      ApiClient.Answer answer = api.put(token, path, proxyTo("http://169.254.169.254/"));

      assertRefusedAt(answer, "/uri", "a cloud instance metadata address (169.254.169.254)");
      assertThat(api.get(token, path).json()).isEqualTo(before);
    }

    @Test
    void leaves_names_and_stage_variables_to_the_gateway() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      for (String uri :
          List.of(
              "https://backend.example.com/{proxy}",
              "http://${stageVariables.host}/pets",
              "http://8.8.8.8/dns")) {
        assertThat(api.post(token, integrations(tenant, apiId), proxyTo(uri)).status())
            .as(uri)
            .isEqualTo(201);
      }
    }
  }

  @Nested
  class At_import {
    final ApiClient api = strict.client();
    final Fixture fx = new Fixture(api, token);

    @Test
    void refuses_a_forbidden_host_with_a_finding_at_its_json_pointer() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String document =
          """
          openapi: 3.0.1
          info: {title: Sneaky, version: "1"}
          paths:
            /ok:
              get:
                x-amazon-apigateway-integration:
                  type: http_proxy
                  httpMethod: GET
                  uri: https://orders.example.com/orders
            /metrics:
              get:
                x-amazon-apigateway-integration:
                  type: http_proxy
                  httpMethod: GET
                  uri: http://0x7f.0.0.1:9090/metrics
          """;

      ApiClient.Answer answer =
          api.send(
              "POST",
              token,
              "/v1/tenants/" + tenant + "/apis/" + apiId + "/openapi",
              document,
              "application/yaml");

      assertRefusedAt(
          answer,
          "/paths/~1metrics/get/x-amazon-apigateway-integration/uri",
          "a loopback address (127.0.0.1)");
      assertThat(api.get(token, integrations(tenant, apiId)).items()).isEmpty();
    }
  }

  @Nested
  class With_operator_settings {
    @Test
    void trial_admits_loopback_but_not_the_platforms_listeners() {
      try (TestControlPlane trial =
          TestControlPlane.start(
              db,
              null,
              Map.of(
                  "TURNPIKE_EGRESS_POLICY", "trial",
                  "TURNPIKE_EGRESS_PLATFORM_LISTENERS", "127.0.0.1:9090,localhost:8180"))) {
        ApiClient api = trial.client();
        String owner = trial.token("owner-" + UUID.randomUUID());
        Fixture fx = new Fixture(api, owner);
        String tenant = fx.tenant();
        String apiId = fx.api(tenant);
        String path = integrations(tenant, apiId);

        assertThat(api.post(owner, path, proxyTo("http://localhost:8084/{proxy}")).status())
            .isEqualTo(201);
        assertRefusedAt(
            api.post(owner, path, proxyTo("http://[::1]:9090/metrics")),
            "/uri",
            "a listener of the platform itself");
        assertRefusedAt(
            api.post(owner, path, proxyTo("http://localhost:8180/")),
            "/uri",
            "a listener of the platform itself");
        assertRefusedAt(
            api.post(owner, path, proxyTo("http://169.254.169.254/")), "/uri", "metadata");
      }
    }

    @Test
    void node_and_tenant_grants_admit_private_hosts() {
      Fixture strictFx = new Fixture(strict.client(), token);
      String granted = strictFx.tenant();
      String other = strictFx.tenant();
      try (TestControlPlane withGrants =
          TestControlPlane.start(
              db,
              null,
              Map.of(
                  "TURNPIKE_EGRESS_ALLOW",
                  "10.1.0.0/16:8080",
                  "TURNPIKE_EGRESS_TENANT_ALLOW",
                  granted + "=10.2.0.0/24:443"))) {
        ApiClient api = withGrants.client();
        String token = withGrants.token(subject);
        Fixture fx = new Fixture(api, token);
        String grantedApi = fx.api(granted);
        String otherApi = fx.api(other);

        assertThat(
                api.post(token, integrations(other, otherApi), proxyTo("http://10.1.4.4:8080/"))
                    .status())
            .isEqualTo(201);
        assertThat(
                api.post(
                        token,
                        integrations(granted, grantedApi),
                        proxyTo("https://10.2.0.9/{proxy}"))
                    .status())
            .isEqualTo(201);
        assertRefusedAt(
            api.post(token, integrations(other, otherApi), proxyTo("https://10.2.0.9/{proxy}")),
            "/uri",
            "a private address (10.2.0.9)");
      }
    }
  }
}
