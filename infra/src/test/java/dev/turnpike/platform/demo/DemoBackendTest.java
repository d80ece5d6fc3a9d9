package dev.turnpike.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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

  /** A REST API proxy event (payload 1.0), written by AWS's own serializer. */
  static String proxyEvent(String name) {
    APIGatewayProxyRequestEvent event =
        new APIGatewayProxyRequestEvent()
            .withResource("/function")
            .withPath("/function")
            .withHttpMethod("POST")
            .withQueryStringParameters(Map.of("name", name))
            .withBody("payload")
            .withIsBase64Encoded(false)
            .withRequestContext(
                new APIGatewayProxyRequestEvent.ProxyRequestContext()
                    .withStage("prod")
                    .withRequestId("req-1")
                    .withIdentity(
                        new APIGatewayProxyRequestEvent.RequestIdentity()
                            .withSourceIp("203.0.113.9")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    serializer(APIGatewayProxyRequestEvent.class).toJson(event, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  static <T> PojoSerializer<T> serializer(Class<T> type) {
    return LambdaEventSerializers.serializerFor(type, DemoBackendTest.class.getClassLoader());
  }

  HttpResponse<String> invoke(HttpRequest.BodyPublisher event) throws Exception {
    return send(HttpRequest.newBuilder(uri(InvokeApi.PATH)).POST(event));
  }

  @Test
  void the_demo_function_answers_lambdas_invoke_api_with_a_proxy_response() throws Exception {
    HttpResponse<String> response =
        invoke(HttpRequest.BodyPublishers.ofString(proxyEvent("Ada L")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Amz-Function-Error")).isEmpty();
    APIGatewayProxyResponseEvent result =
        serializer(APIGatewayProxyResponseEvent.class)
            .fromJson(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
    assertThat(result.getStatusCode()).isEqualTo(200);
    assertThat(result.getHeaders()).containsEntry("Content-Type", "application/json");
    JsonNode body = JSON.readTree(result.getBody());
    assertThat(body.path("message").asText()).isEqualTo("Hello, Ada L, from a function!");
    assertThat(body.path("servedBy").asText()).endsWith(DemoBackend.FUNCTION);
    assertThat(body.path("path").asText()).isEqualTo("/function");
    assertThat(body.path("stage").asText()).isEqualTo("prod");
    assertThat(body.path("requestId").asText()).isEqualTo("req-1");
    assertThat(body.path("sourceIp").asText()).isEqualTo("203.0.113.9");
    assertThat(body.path("body").asText()).isEqualTo("payload");
  }

  @Test
  void an_event_the_handler_cannot_read_is_a_function_error_as_the_emulator_signals_it()
      throws Exception {
    HttpResponse<String> response = invoke(HttpRequest.BodyPublishers.ofString("[not an event"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Amz-Function-Error")).hasValue("Unhandled");
    assertThat(JSON.readTree(response.body()).path("errorType").asText()).isNotEmpty();
  }

  @Test
  void the_invoke_api_takes_only_post_and_only_its_path() throws Exception {
    HttpResponse<String> get = send(HttpRequest.newBuilder(uri(InvokeApi.PATH)));
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<String> other =
        send(
            HttpRequest.newBuilder(uri(InvokeApi.PATH + "/more"))
                .POST(HttpRequest.BodyPublishers.ofString(proxyEvent("x"))));
    assertThat(other.statusCode()).isEqualTo(404);
  }

  @Test
  void the_invoke_api_refuses_events_over_lambdas_payload_limit_with_413() throws Exception {
    byte[] large = new byte[InvokeApi.MAX_EVENT_BYTES + 1];
    HttpResponse<String> response = invoke(HttpRequest.BodyPublishers.ofByteArray(large));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("X-Amz-Function-Error")).isEmpty();
  }
}
