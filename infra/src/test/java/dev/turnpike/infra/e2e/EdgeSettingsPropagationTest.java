package dev.turnpike.infra.e2e;

import static dev.turnpike.infra.e2e.InProcessServices.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.gateway.node.GatewayNode;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage's resource policy and an API's compression set through the management API reach a gateway
 * node through Kafka, as in production.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class EdgeSettingsPropagationTest {
  static final String DENIED =
      "User is not authorized to access this resource with an explicit deny";

  /** HTTP/1.1: HTTP/2 answers are not compressed yet (docs/compression.md). */
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static HttpResponse<byte[]> get(GatewayNode gateway, String path, String key) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .header("x-api-key", key)
            .header("Accept-Encoding", "gzip")
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The answer's Content-Encoding, null for none or when there was no answer. */
  static String encodingOf(GatewayNode gateway, String path, String key) {
    try {
      return get(gateway, path, key).headers().firstValue("content-encoding").orElse(null);
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  void a_stage_deny_refuses_the_caller_and_a_deployed_compression_size_gzips_its_answers(
      TestDatabase db, KafkaBroker kafka, @TempDir Path gatewayData) throws Exception {
    try (TestControlPlane controlPlane =
        TestControlPlane.start(db, kafka.bootstrapServers(), Map.of())) {
      ApiClient api = controlPlane.client();
      String token = controlPlane.token("owner-" + UUID.randomUUID());
      Fixture fixture = new Fixture(api, token);
      MockPetsApi published =
          MockPetsApi.publish(fixture, "edge", new JsonObject().put("name", "Free"));
      String key = fixture.key(published.tenant(), published.appId()).getString("key");
      published.deploy(fixture);
      String apiPath = "/v1/tenants/" + published.tenant() + "/apis/" + published.apiId();
      String pets = published.petsPath();

      try (GatewayNode gateway = InProcessServices.gateway(kafka, gatewayData)) {
        Await.until(
            Duration.ofSeconds(60), () -> status(gateway, pets, key) == 200, "the API served");

        ApiClient.Answer fenced =
            api.put(
                token,
                apiPath + "/stages/" + published.stageId(),
                new JsonObject()
                    .put(
                        "sourceIpPolicy",
                        new JsonObject()
                            .put("allowCidrs", new JsonArray())
                            .put("denyCidrs", new JsonArray().add("127.0.0.0/8"))));
        assertThat(fenced.status()).as(fenced.toString()).isEqualTo(200);
        Await.until(
            Duration.ofSeconds(5), () -> status(gateway, pets, key) == 403, "the caller denied");
        HttpResponse<byte[]> denied = get(gateway, pets, key);
        assertThat(
                new JsonObject(new String(denied.body(), StandardCharsets.UTF_8))
                    .getString("message"))
            .isEqualTo(DENIED);

        ApiClient.Answer compressing =
            api.put(
                token,
                apiPath,
                new JsonObject().put("name", "Pets").put("minimumCompressionSize", 0));
        assertThat(compressing.status()).as(compressing.toString()).isEqualTo(200);
        published.deploy(fixture);
        ApiClient.Answer opened =
            api.put(token, apiPath + "/stages/" + published.stageId(), new JsonObject());
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        Await.until(
            Duration.ofSeconds(5),
            () ->
                status(gateway, pets, key) == 200 && "gzip".equals(encodingOf(gateway, pets, key)),
            "a gzipped 200");

        HttpResponse<byte[]> gzipped = get(gateway, pets, key);
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
          assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
              .isEqualTo("{\"pets\":[]}");
        }
      }
    }
  }
}
