package dev.turnpike.infra.e2e;

import static dev.turnpike.db.Tables.OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.gateway.node.GatewayNode;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API of 10,000 routes, imported through the management API as an OpenAPI document, fits the
 * default config record limit, is deployed and is served by a gateway that reads it from Kafka.
 * Prints the deployment record's size before and after compression and the time from the deploy
 * call to the first answer from its last route.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class TenThousandRoutesTest {
  static final int ROUTES = 10_000;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void an_api_of_ten_thousand_imported_routes_deploys_and_is_served(
      TestDatabase db, KafkaBroker kafka, @TempDir Path gatewayData) throws Exception {
    // The document is a few MB: more than the API's default body limit; the records are not.
    try (TestControlPlane controlPlane =
        TestControlPlane.start(
            db,
            kafka.bootstrapServers(),
            Map.of("TURNPIKE_CP_MAX_BODY_BYTES", Integer.toString(64 << 20)))) {
      ApiClient api = controlPlane.client();
      String token = controlPlane.token("owner-" + UUID.randomUUID());
      Fixture fixture = new Fixture(api, token);
      String slug = "big-" + UUID.randomUUID().toString().substring(0, 6);
      String tenant =
          fixture
              .created("/v1/tenants", new JsonObject().put("slug", slug).put("name", slug))
              .getString("id");
      String apiBase = "/v1/tenants/" + tenant + "/apis/";
      String apiId =
          fixture
              .created(apiBase, new JsonObject().put("slug", "big").put("name", "Big"))
              .getString("id");
      apiBase += apiId;

      long importStart = System.nanoTime();
      HttpResponse<String> imported =
          importDocument(controlPlane, token, apiBase, document(api, token, apiBase));
      long importMillis = (System.nanoTime() - importStart) / 1_000_000;
      assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
      assertThat(api.get(token, apiBase + "/routes").items()).hasSize(ROUTES);
      String stageId = fixture.stage(tenant, apiId, "prod");

      try (GatewayNode gateway = InProcessServices.gateway(kafka, gatewayData)) {
        String last = "/" + slug + "/big/prod/items/i" + (ROUTES - 1);
        long deployStart = System.nanoTime();
        String deploymentId = fixture.deploy(tenant, apiId, stageId).getString("id");
        long deployCallMillis = (System.nanoTime() - deployStart) / 1_000_000;
        Await.until(
            Duration.ofSeconds(120), () -> status(gateway, last) == 200, "the last route serves");
        long servedMillis = (System.nanoTime() - deployStart) / 1_000_000;

        byte[] record =
            db.ownerDsl()
                .select(OUTBOX.PAYLOAD)
                .from(OUTBOX)
                .where(OUTBOX.DEPLOYMENT_ID.eq(UUID.fromString(deploymentId)))
                .fetchOne()
                .value1();
        ConfigRecordLimit.RecordSize size =
            ConfigRecordLimit.measure(Topics.deploymentKey(tenant, apiId, "prod"), record);
        assertThat(ConfigRecordLimit.defaults().admits(size)).as(size.toString()).isTrue();
        assertThat(
                api.get(token, apiBase + "/deployments/" + deploymentId).json().getString("status"))
            .isEqualTo("published");
        assertThat(status(gateway, "/" + slug + "/big/prod/items/i0")).isEqualTo(200);
        System.out.printf(
            "%d routes: import %d ms; deployment record %,d bytes, %,d bytes compressed (%s);"
                + " deploy call %d ms, deploy to served %d ms%n",
            ROUTES,
            importMillis,
            size.encodedBytes(),
            size.compressedBytes(),
            ConfigRecordLimit.COMPRESSION,
            deployCallMillis,
            servedMillis);
      }
    }
  }

  /**
   * The API's own export with one mock route, its path item repeated on 10,000 resources: the
   * document is what API Gateway and Turnpike export, whatever the import reads.
   */
  static String document(ApiClient api, String token, String apiBase) {
    String integration =
        api.post(
                token,
                apiBase + "/integrations",
                new JsonObject()
                    .put("type", "mock")
                    .put(
                        "mock",
                        new JsonObject().put("statusCode", 200).put("body", "{\"ok\":true}")))
            .json()
            .getString("id");
    ApiClient.Answer route =
        api.post(
            token,
            apiBase + "/routes",
            new JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/items/one")
                .put("apiKeyRequired", false)
                .put("integrationId", integration));
    assertThat(route.status()).as(route.toString()).isEqualTo(201);
    JsonObject exported = api.get(token, apiBase + "/openapi?format=json").json();
    JsonObject pathItem = exported.getJsonObject("paths").getJsonObject("/items/one");
    JsonObject paths = new JsonObject();
    for (int i = 0; i < ROUTES; i++) {
      paths.put("/items/i" + i, pathItem.copy());
    }
    return exported.put("paths", paths).encode();
  }

  static HttpResponse<String> importDocument(
      TestControlPlane controlPlane, String token, String apiBase, String document)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + controlPlane.controlPlane().port()
                        + apiBase
                        + "/openapi?mode=overwrite"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofMinutes(10))
            .POST(HttpRequest.BodyPublishers.ofString(document))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET without a key, or -1 when the call itself failed. */
  static int status(GatewayNode gateway, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
