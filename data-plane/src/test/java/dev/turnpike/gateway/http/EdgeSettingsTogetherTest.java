package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.CompressionConfig;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.EdgeConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An API with CORS, compression and a source-address policy at once: the CORS headers and the
 * compression decision share the one head handler Vert.x keeps per response, and the address policy
 * is judged before a preflight is answered.
 */
class EdgeSettingsTogetherTest {
  static final String APP = "https://app.example.com";
  static final String TEXT = "turnpike ".repeat(300); // 2,700 bytes

  static final CorsConfiguration CORS =
      new CorsConfiguration(List.of(APP), List.of("GET"), List.of(), List.of(), 300, false);

  GatewayRig rig;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    rig = GatewayRig.builder().start();
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  void load(SourceIpPolicy policy) {
    rig.load(
        List.of(
            deployment(
                    "prod",
                    List.of(
                        route("GET", "/large", false, mock(200, "{\"text\":\"" + TEXT + "\"}")),
                        route("GET", "/small", false, mock(200, "{\"ok\":true}"))))
                .toBuilder()
                .edge(new EdgeConfig(CORS, policy, new CompressionConfig(1000, false)))
                .build()),
        List.of(),
        List.of());
  }

  HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + rig.port() + "/acme/pets/prod" + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept-Encoding", "gzip")
            .header("Origin", APP)
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void a_large_answer_is_gzipped_and_carries_the_cors_headers() throws Exception {
    load(null);

    var response = get("/large");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-encoding")).contains("gzip");
    assertThat(response.headers().firstValue("access-control-allow-origin")).contains(APP);
    assertThat(String.join(",", response.headers().allValues("vary")))
        .contains("Origin")
        .contains("Accept-Encoding");
    assertThat(CompressionTest.gunzip(response.body())).contains(TEXT);
  }

  @Test
  void a_small_answer_stays_plain_and_carries_the_cors_headers() throws Exception {
    load(null);

    var response = get("/small");

    assertThat(response.statusCode()).isEqualTo(200);
    // Had CORS's head handler replaced compression's, the listener would gzip this one too.
    assertThat(response.headers().firstValue("content-encoding")).isEmpty();
    assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"ok\":true}");
    assertThat(response.headers().firstValue("access-control-allow-origin")).contains(APP);
  }

  @Test
  void a_preflight_from_a_denied_address_is_refused_and_learns_no_cors_settings() throws Exception {
    load(new SourceIpPolicy(List.of(), List.of("127.0.0.1/32")));

    GatewayRig.Response response =
        rig.call(
            HttpMethod.OPTIONS,
            "/acme/pets/prod/large",
            Map.of("Origin", APP, "Access-Control-Request-Method", "GET"),
            null);

    ResourcePolicyTest.assertDenied(response);
    assertThat(response.headers().get("access-control-allow-origin")).isNull();
    assertThat(response.headers().get("access-control-allow-methods")).isNull();
  }

  @Test
  void a_preflight_from_an_admitted_address_is_answered() throws Exception {
    load(new SourceIpPolicy(List.of("127.0.0.0/8"), List.of()));

    GatewayRig.Response response =
        rig.call(
            HttpMethod.OPTIONS,
            "/acme/pets/prod/large",
            Map.of("Origin", APP, "Access-Control-Request-Method", "GET"),
            null);

    assertThat(response.status()).isEqualTo(204);
    assertThat(response.headers().get("access-control-allow-origin")).isEqualTo(APP);
  }
}
