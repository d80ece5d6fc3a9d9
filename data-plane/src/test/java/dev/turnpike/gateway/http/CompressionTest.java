package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import dev.turnpike.contracts.config.CompressionConfig;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.EdgeConfig;
import dev.turnpike.gateway.compression.ResponseCompression;
import dev.turnpike.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Response compression by the API's {@code minimumCompressionSize}, and request bodies inflated for
 * APIs that ask for it: real HTTP on port 0, bodies decoded and compared.
 */
class CompressionTest {
  static final String TEXT = "turnpike ".repeat(300); // 2,700 bytes of text

  GatewayRig rig;
  HttpServer backend;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    rig = GatewayRig.builder().start();
    backend = GatewayRig.await(contentBackend(rig.vertx).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  /**
   * {@code /text/N} N bytes of text; {@code /png} an image; {@code /gzipped} a body the backend
   * compressed itself; {@code /range} a 206; {@code /stream} text without a Content-Length; {@code
   * /echo} the request body as received, its Content-Encoding and Content-Length in headers.
   */
  static HttpServer contentBackend(Vertx vertx) {
    return vertx
        .createHttpServer()
        .requestHandler(
            request -> {
              var response = request.response();
              String path = request.path();
              if (path.startsWith("/text/")) {
                int size = Integer.parseInt(path.substring(6));
                response.putHeader("content-type", "text/plain").end(TEXT.substring(0, size));
              } else if (path.equals("/png")) {
                response.putHeader("content-type", "image/png").end(TEXT);
              } else if (path.equals("/gzipped")) {
                response
                    .putHeader("content-type", "text/plain")
                    .putHeader("content-encoding", "gzip")
                    .end(Buffer.buffer(gzip(TEXT.getBytes(StandardCharsets.UTF_8))));
              } else if (path.equals("/range")) {
                response
                    .setStatusCode(206)
                    .putHeader("content-type", "text/plain")
                    .putHeader("content-range", "bytes 0-2699/5000")
                    .end(TEXT);
              } else if (path.equals("/stream")) {
                response.setChunked(true).putHeader("content-type", "text/plain");
                response.write(TEXT.substring(0, 10));
                response.end(TEXT.substring(10));
              } else {
                request
                    .body()
                    .onSuccess(
                        body ->
                            response
                                .putHeader(
                                    "x-seen-encoding",
                                    String.valueOf(request.getHeader("content-encoding")))
                                .putHeader(
                                    "x-seen-length",
                                    String.valueOf(request.getHeader("content-length")))
                                .putHeader("content-type", "application/octet-stream")
                                .end(body));
              }
            });
  }

  void load(CompressionConfig compression) {
    String base = "http://127.0.0.1:" + backend.actualPort();
    DeploymentSnapshot prod =
        deployment(
                "prod",
                List.of(
                    route("GET", "/text/{n}", false, proxy(base + "/text/{n}")),
                    route("HEAD", "/text/{n}", false, proxy(base + "/text/{n}")),
                    route("GET", "/png", false, proxy(base + "/png")),
                    route("GET", "/gzipped", false, proxy(base + "/gzipped")),
                    route("GET", "/range", false, proxy(base + "/range")),
                    route("GET", "/stream", false, proxy(base + "/stream")),
                    route("POST", "/echo", false, proxy(base + "/echo")),
                    route("GET", "/mock", false, mock(200, "{\"text\":\"" + TEXT + "\"}"))))
            .toBuilder()
            .edge(new EdgeConfig(null, null, compression))
            .build();
    rig.load(List.of(prod), List.of(), List.of());
  }

  HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
    return send("GET", path, acceptEncoding, null, Map.of());
  }

  HttpResponse<byte[]> send(
      String method, String path, String acceptEncoding, byte[] body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + rig.port() + "/acme/pets/prod" + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (acceptEncoding != null) {
      request.header("Accept-Encoding", acceptEncoding);
    }
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String encoding(HttpResponse<?> response) {
    return response.headers().firstValue("content-encoding").orElse(null);
  }

  static byte[] gzip(byte[] plain) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
        zip.write(plain);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String gunzip(byte[] compressed) throws IOException {
    try (var in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Nested
  class Responses {
    @Test
    void a_body_at_least_the_minimum_size_is_gzipped_when_the_client_accepts_it() throws Exception {
      load(new CompressionConfig(1000, false));

      var response = get("/text/1000", "gzip");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(encoding(response)).isEqualTo("gzip");
      assertThat(response.headers().allValues("vary")).contains("Accept-Encoding");
      assertThat(response.body().length).isLessThan(1000);
      assertThat(gunzip(response.body())).isEqualTo(TEXT.substring(0, 1000));
    }

    @Test
    void a_body_below_the_minimum_size_is_sent_as_it_is() throws Exception {
      load(new CompressionConfig(1000, false));

      var response = get("/text/999", "gzip");

      assertThat(encoding(response)).isNull();
      assertThat(new String(response.body(), StandardCharsets.UTF_8))
          .isEqualTo(TEXT.substring(0, 999));
    }

    @Test
    void an_api_without_a_minimum_size_compresses_nothing() throws Exception {
      load(null);

      var response = get("/text/2700", "gzip, br");

      assertThat(encoding(response)).isNull();
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void a_client_that_does_not_accept_an_encoding_gets_the_plain_body() throws Exception {
      load(new CompressionConfig(0, false));

      assertThat(encoding(get("/text/2700", null))).isNull();
      assertThat(encoding(get("/text/2700", "gzip;q=0"))).isNull();
      assertThat(encoding(get("/text/2700", "deflate"))).isNull();
    }

    @Test
    void already_compressed_content_types_are_not_compressed_again() throws Exception {
      load(new CompressionConfig(0, false));

      var response = get("/png", "gzip");

      assertThat(encoding(response)).isNull();
      assertThat(response.body()).hasSize(TEXT.length());
    }

    @Test
    void a_body_the_backend_encoded_keeps_its_encoding_and_bytes() throws Exception {
      load(new CompressionConfig(0, false));

      var response = get("/gzipped", "gzip");

      assertThat(response.headers().allValues("content-encoding")).containsExactly("gzip");
      assertThat(gunzip(response.body())).isEqualTo(TEXT);
    }

    @Test
    void a_range_response_is_never_compressed() throws Exception {
      load(new CompressionConfig(0, false));

      var response = get("/range", "gzip");

      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(encoding(response)).isNull();
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void a_head_request_is_answered_without_an_encoding() throws Exception {
      load(new CompressionConfig(0, false));

      var response = send("HEAD", "/text/2700", "gzip", null, Map.of());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(encoding(response)).isNull();
    }

    @Test
    void a_streamed_body_of_unknown_length_is_compressed() throws Exception {
      load(new CompressionConfig(1000, false));

      var response = get("/stream", "gzip");

      assertThat(encoding(response)).isEqualTo("gzip");
      assertThat(gunzip(response.body())).isEqualTo(TEXT);
    }

    @Test
    void a_gateway_made_body_is_compressed_too() throws Exception {
      load(new CompressionConfig(100, false));

      var response = get("/mock", "gzip");

      assertThat(encoding(response)).isEqualTo("gzip");
      assertThat(new JsonObject(gunzip(response.body())).getString("text")).isEqualTo(TEXT);
    }

    @Test
    void the_gateways_own_error_answers_of_an_api_without_compression_are_plain() throws Exception {
      load(null);

      var response = get("/nowhere", "gzip");

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(encoding(response)).isNull();
      assertThat(
              new JsonObject(new String(response.body(), StandardCharsets.UTF_8))
                  .getString("message"))
          .isEqualTo("Missing Authentication Token");
    }

    @Test
    void br_is_chosen_when_the_client_prefers_it_and_the_library_loads_here() throws Exception {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          ResponseCompression.brotliAvailable(), "no Brotli native library on this machine");
      load(new CompressionConfig(0, false));

      var response = get("/text/2700", "br");

      assertThat(encoding(response)).isEqualTo("br");
      var decoded = Decoder.decompress(response.body());
      assertThat(decoded.getResultStatus()).isEqualTo(DecoderJNI.Status.DONE);
      assertThat(new String(decoded.getDecompressedData(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }
  }

  @Nested
  class OverHttp2 {
    record Answer(String encoding, byte[] body) {}

    Answer h2c(io.vertx.core.http.HttpClient client, String path) {
      return GatewayRig.await(
          client
              .request(new io.vertx.core.http.RequestOptions().setURI("/acme/pets/prod" + path))
              .compose(request -> request.putHeader("accept-encoding", "gzip").send())
              .compose(
                  response ->
                      response
                          .body()
                          .map(
                              body ->
                                  new Answer(
                                      response.getHeader("content-encoding"), body.getBytes()))));
    }

    @Test
    void an_answer_after_an_uncompressed_one_on_the_same_connection_is_what_its_label_says()
        throws Exception {
      load(new CompressionConfig(1000, false));
      var client =
          rig.newClient(
              new io.vertx.core.http.HttpClientOptions()
                  .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
                  // One connection: HTTP/2's pool holds one per server unless told otherwise.
                  .setHttp2ClearTextUpgrade(false));
      try {
        // The first answer is below the minimum size: sent as identity on this connection.
        Answer small = h2c(client, "/text/10");
        Answer large = h2c(client, "/text/2700");

        assertThat(small.encoding()).isNull();
        assertThat(new String(small.body(), StandardCharsets.UTF_8))
            .isEqualTo(TEXT.substring(0, 10));
        // Vert.x 5.0.10 would label this gzip and send it plain: it is sent plain, unlabelled.
        assertThat(large.encoding()).isNull();
        assertThat(new String(large.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
      } finally {
        GatewayRig.await(client.close());
      }
    }

    @Test
    void an_api_without_compression_answers_plain_without_an_identity_marker() throws Exception {
      load(null);
      var client =
          rig.newClient(
              new io.vertx.core.http.HttpClientOptions()
                  .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false));
      try {
        Answer answer = h2c(client, "/text/2700");

        assertThat(answer.encoding()).isNull();
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
      } finally {
        GatewayRig.await(client.close());
      }
    }
  }

  @Nested
  class RequestBodies {
    @Test
    void a_gzip_body_reaches_the_integration_inflated_when_the_api_says_so() throws Exception {
      load(new CompressionConfig(null, true));
      byte[] plain = TEXT.getBytes(StandardCharsets.UTF_8);

      var response = send("POST", "/echo", null, gzip(plain), Map.of("Content-Encoding", "gzip"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-seen-encoding")).hasValue("null");
      assertThat(response.headers().firstValue("x-seen-length"))
          .hasValue(String.valueOf(plain.length));
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void a_gzip_body_passes_untouched_when_the_api_does_not_ask() throws Exception {
      load(new CompressionConfig(null, false));
      byte[] compressed = gzip(TEXT.getBytes(StandardCharsets.UTF_8));

      var response = send("POST", "/echo", null, compressed, Map.of("Content-Encoding", "gzip"));

      assertThat(response.headers().firstValue("x-seen-encoding")).hasValue("gzip");
      assertThat(response.body()).isEqualTo(compressed);
    }

    @Test
    void a_gzip_bomb_is_refused_with_413() throws Exception {
      load(new CompressionConfig(null, true));
      // 64 MiB of zeros squeeze into ~64 KiB: far under the 1 MiB body limit on the wire.
      byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
      assertThat(bomb.length).isLessThan(1024 * 1024);

      var response = send("POST", "/echo", null, bomb, Map.of("Content-Encoding", "gzip"));

      assertThat(response.statusCode()).isEqualTo(413);
      Await.until(
          Duration.ofSeconds(10),
          () -> rig.events.stream().anyMatch(event -> event.status() == 413),
          () -> "a usage event for the refused body");
    }

    @Test
    void a_body_that_is_not_gzip_is_refused_with_400() throws Exception {
      load(new CompressionConfig(null, true));

      var response =
          send(
              "POST",
              "/echo",
              null,
              "not gzip at all".getBytes(StandardCharsets.UTF_8),
              Map.of("Content-Encoding", "gzip"));

      assertThat(response.statusCode()).isEqualTo(400);
    }
  }
}
