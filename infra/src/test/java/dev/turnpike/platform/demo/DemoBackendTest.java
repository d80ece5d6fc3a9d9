package dev.turnpike.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class DemoBackendTest {
  static final DemoBackend BACKEND = DemoBackend.start("127.0.0.1", 0);
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  @AfterAll
  static void stop() {
    BACKEND.close();
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + BACKEND.port() + path);
  }

  @Test
  void hello_greets_by_name() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/hello?name=Ada%20L")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body()).path("message").asText()).isEqualTo("Hello, Ada L!");
  }

  @Test
  void hello_refuses_other_methods_with_405() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/hello")).DELETE());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void echo_answers_with_what_it_received() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/echo/deeper?x=1"))
                .header("X-Trace", "abc")
                .PUT(HttpRequest.BodyPublishers.ofString("payload")));
    JsonNode echo = JSON.readTree(response.body());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(echo.path("method").asText()).isEqualTo("PUT");
    assertThat(echo.path("path").asText()).isEqualTo("/echo/deeper");
    assertThat(echo.path("query").asText()).isEqualTo("x=1");
    assertThat(echo.path("headers").path("x-trace").asText()).isEqualTo("abc");
    assertThat(echo.path("body").asText()).isEqualTo("payload");
  }

  @Test
  void echo_refuses_bodies_over_its_limit_with_413() throws Exception {
    byte[] large = new byte[DemoBackend.MAX_BODY_BYTES + 1];
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(large)));
    assertThat(response.statusCode()).isEqualTo(413);
  }
}
