package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.testkit.function.FunctionHost;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Mapping templates on a real gateway in front of a real backend: request templates and their
 * passthrough behaviour, integration responses chosen by selection pattern, the mock integration's
 * status from its request template, content handling and gateway-response templates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayTemplatesTest {
  static final String JSON = "application/json";
  static final String PET_TEMPLATE =
      "{\"petName\": \"$input.path('$.name')\", \"stage\": \"$context.stage\","
          + " \"resource\": \"$context.resourcePath\"}";

  GatewayRig gateway;
  TemplateBackend backend;

  @BeforeAll
  void start() throws Exception {
    gateway = GatewayRig.builder().start();
    backend = TemplateBackend.start(gateway.vertx);
  }

  @AfterAll
  void stop() {
    backend.close();
    gateway.close();
  }

  static IntegrationConfig http(
      String uri,
      Map<String, String> templates,
      PassthroughBehavior passthrough,
      ContentHandling handling,
      List<IntegrationResponse> responses) {
    return new IntegrationConfig(
        IntegrationType.HTTP,
        "POST",
        uri,
        1000,
        29_000,
        Map.of(),
        null,
        null,
        templates,
        passthrough,
        handling,
        responses);
  }

  static IntegrationConfig mock(
      Map<String, String> templates, List<IntegrationResponse> responses) {
    return new IntegrationConfig(
        IntegrationType.MOCK,
        null,
        null,
        0,
        0,
        Map.of(),
        new MockResponse(200, Map.of(), ""),
        null,
        templates,
        null,
        null,
        responses);
  }

  static IntegrationResponse response(
      String pattern, int status, Map<String, String> parameters, Map<String, String> templates) {
    return new IntegrationResponse(pattern, status, parameters, templates, null);
  }

  void load(List<RouteConfig> routes) {
    load(routes, List.of(), Map.of());
  }

  void load(
      List<RouteConfig> routes,
      List<String> binaryMediaTypes,
      Map<String, GatewayResponseConfig> gatewayResponses) {
    gateway.load(
        List.of(
            Fixtures.snapshot("prod")
                .routes(routes)
                .gatewayResponses(gatewayResponses)
                .binaryMediaTypes(binaryMediaTypes)
                .build()),
        List.of(),
        List.of());
  }

  GatewayRig.Response post(String path, String contentType, Buffer body) throws Exception {
    Map<String, String> headers =
        contentType == null ? Map.of() : Map.of("Content-Type", contentType);
    return gateway.call(HttpMethod.POST, "/acme/pets/prod" + path, headers, body);
  }

  GatewayRig.Response post(String path, String contentType, String body) throws Exception {
    return post(path, contentType, Buffer.buffer(body));
  }

  @Nested
  class Request_templates {
    @Test
    void render_the_template_for_the_content_type_into_the_backend_body() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/pets",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(JSON, PET_TEMPLATE),
                      null,
                      null,
                      List.of()))));
      GatewayRig.Response response =
          post("/pets", "application/json; charset=utf-8", "{\"name\": \"rex\"}");
      assertThat(response.status()).isEqualTo(200);
      JsonObject sent = new JsonObject(response.json().getString("body"));
      assertThat(sent.getString("petName")).isEqualTo("rex");
      assertThat(sent.getString("stage")).isEqualTo("prod");
      assertThat(sent.getString("resource")).isEqualTo("/pets");
      assertThat(response.json().getString("contentType")).isEqualTo(JSON);
    }

    @Test
    void render_for_a_get_without_body_and_send_the_output_to_the_backend() throws Exception {
      load(
          List.of(
              route(
                  "ANY",
                  "/{proxy+}",
                  false,
                  new IntegrationConfig(
                      IntegrationType.HTTP,
                      "ANY",
                      backend.url() + "/{proxy}",
                      1000,
                      29_000,
                      Map.of(),
                      null,
                      null,
                      Map.of(
                          JSON, "{\"id\": \"$input.params('id')\", \"path\": \"$context.path\"}"),
                      PassthroughBehavior.WHEN_NO_MATCH,
                      null,
                      List.of()))));
      GatewayRig.Response response = gateway.get("/acme/pets/prod/items/1?id=9", Map.of());
      assertThat(response.status()).isEqualTo(200);
      JsonObject sent = new JsonObject(response.json().getString("body"));
      assertThat(sent.getString("id")).isEqualTo("9");
      assertThat(sent.getString("path")).isEqualTo("/acme/pets/prod/items/1");
      assertThat(response.json().getString("query")).isNull();
    }

    @Test
    void a_request_template_overrides_the_integration_requests_header_query_and_path()
        throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/pets/{id}",
                  false,
                  new IntegrationConfig(
                      IntegrationType.HTTP,
                      "POST",
                      backend.url() + "/things/{id}",
                      1000,
                      29_000,
                      Map.of(
                          "integration.request.path.id", "method.request.path.id",
                          "integration.request.querystring.page", "'1'"),
                      null,
                      null,
                      Map.of(
                          JSON,
                          "#set($context.requestOverride.header['x-override'] = $input.path('$.tag'))"
                              + "#set($context.requestOverride.header.Host = 'evil.example')"
                              + "#set($context.requestOverride.querystring.page = 2)"
                              + "#set($context.requestOverride.path.id = 'p-7')"
                              + "{}"),
                      PassthroughBehavior.WHEN_NO_MATCH,
                      null,
                      List.of()))));
      GatewayRig.Response response = post("/pets/1", JSON, "{\"tag\": \"blue\"}");
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(response.json().getString("xOverride")).isEqualTo("blue");
      assertThat(response.json().getString("query")).isEqualTo("page=2");
      assertThat(response.json().getString("path")).isEqualTo("/things/p-7");
      // The connection's own headers stay the gateway's.
      assertThat(response.json().getString("host")).doesNotContain("evil.example");
    }

    @Test
    void take_application_json_for_a_body_without_content_type() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/pets",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(JSON, PET_TEMPLATE),
                      null,
                      null,
                      List.of()))));
      GatewayRig.Response response = post("/pets", null, "{\"name\": \"tom\"}");
      assertThat(new JsonObject(response.json().getString("body")).getString("petName"))
          .isEqualTo("tom");
    }

    @Test
    void when_no_match_pass_an_unmatched_body_through() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/pets",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(JSON, PET_TEMPLATE),
                      PassthroughBehavior.WHEN_NO_MATCH,
                      null,
                      List.of()))));
      GatewayRig.Response response = post("/pets", "text/plain", "just text");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("body")).isEqualTo("just text");
      assertThat(response.json().getString("contentType")).isEqualTo("text/plain");
    }

    @Test
    void when_no_templates_refuse_an_unmatched_type_only_when_templates_exist() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/templated",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(JSON, PET_TEMPLATE),
                      PassthroughBehavior.WHEN_NO_TEMPLATES,
                      null,
                      List.of())),
              route(
                  "POST",
                  "/plain",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(),
                      PassthroughBehavior.WHEN_NO_TEMPLATES,
                      null,
                      List.of()))));
      GatewayRig.Response refused = post("/templated", "text/plain", "just text");
      assertThat(refused.status()).isEqualTo(415);
      assertThat(refused.json().getString("message")).isEqualTo("Unsupported Media Type");
      assertThat(post("/plain", "text/plain", "just text").json().getString("body"))
          .isEqualTo("just text");
    }

    @Test
    void never_refuses_an_unmatched_type_with_415() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/pets",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(),
                      PassthroughBehavior.NEVER,
                      null,
                      List.of()))));
      GatewayRig.Response response = post("/pets", "text/plain", "just text");
      assertThat(response.status()).isEqualTo(415);
      assertThat(response.headers().get("x-amzn-ErrorType"))
          .isEqualTo("UnsupportedMediaTypeException");
    }

    @Test
    void a_template_that_does_not_compile_breaks_only_its_route() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/broken",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(JSON, "#if($input.body"),
                      null,
                      null,
                      List.of())),
              route(
                  "POST",
                  "/pets",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(JSON, PET_TEMPLATE),
                      null,
                      null,
                      List.of()))));
      GatewayRig.Response broken = post("/broken", JSON, "{}");
      assertThat(broken.status()).isEqualTo(500);
      assertThat(broken.json().getString("message")).isEqualTo("Internal server error");
      assertThat(post("/pets", JSON, "{\"name\": \"rex\"}").status()).isEqualTo(200);
    }

    @Test
    void a_runaway_template_answers_500_for_that_call_only() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/runaway",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(JSON, "#foreach($i in [1..100000000])#set($x = $i)#end"),
                      null,
                      null,
                      List.of())),
              route(
                  "POST",
                  "/pets",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(JSON, PET_TEMPLATE),
                      null,
                      null,
                      List.of()))));
      GatewayRig.Response runaway = post("/runaway", JSON, "{}");
      assertThat(runaway.status()).isEqualTo(500);
      assertThat(gateway.events).anyMatch(e -> e.outcome() == Outcome.CONFIGURATION_ERROR);
      assertThat(post("/pets", JSON, "{\"name\": \"rex\"}").status()).isEqualTo(200);
    }
  }

  @Nested
  class Integration_responses {
    List<RouteConfig> routes(List<IntegrationResponse> responses) {
      return List.of(
          route(
              "POST",
              "/status/{code}",
              false,
              http(backend.url() + "/status/{code}", Map.of(), null, null, responses)));
    }

    @Test
    void a_selection_pattern_on_the_backend_status_picks_the_method_status_and_template()
        throws Exception {
      load(
          routes(
              List.of(
                  response(null, 200, Map.of(), Map.of()),
                  response(
                      "4\\d{2}",
                      400, Map.of(), Map.of(JSON, "{\"problem\": $input.json('$.error')}")))));
      GatewayRig.Response response = post("/status/404", JSON, "{}");
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.json().getString("problem")).isEqualTo("boom 404");
      assertThat(response.headers().get("content-type")).isEqualTo(JSON);
    }

    @Test
    void a_pattern_must_match_the_whole_status() throws Exception {
      load(
          routes(
              List.of(
                  response(null, 200, Map.of(), Map.of()),
                  response("4", 400, Map.of(), Map.of()))));
      GatewayRig.Response response = post("/status/404", JSON, "{}");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("error")).isEqualTo("boom 404");
    }

    @Test
    void response_parameters_map_backend_headers_literals_and_body_fields() throws Exception {
      load(
          routes(
              List.of(
                  response(
                      null,
                      201,
                      Map.of(
                          "method.response.header.x-id", "integration.response.header.x-backend-id",
                          "method.response.header.x-kind", "'pet'",
                          "method.response.header.x-code", "integration.response.body.detail.code"),
                      Map.of()))));
      GatewayRig.Response response = post("/status/200", JSON, "{}");
      assertThat(response.status()).isEqualTo(201);
      assertThat(response.headers().get("x-id")).isEqualTo("b-200");
      assertThat(response.headers().get("x-kind")).isEqualTo("pet");
      assertThat(response.headers().get("x-code")).isEqualTo("E42");
      // A non-proxy integration passes none of the backend's headers by itself.
      assertThat(response.headers().get("x-backend-id")).isNull();
    }

    @Test
    void a_response_template_overrides_status_and_headers() throws Exception {
      load(
          routes(
              List.of(
                  response(
                      null,
                      200,
                      Map.of(),
                      Map.of(
                          JSON,
                          "#set($context.responseOverride.status = 418)"
                              + "#set($context.responseOverride.header['x-teapot'] = 'yes')"
                              + "{\"short\": true}")))));
      GatewayRig.Response response = post("/status/200", JSON, "{}");
      assertThat(response.status()).isEqualTo(418);
      assertThat(response.headers().get("x-teapot")).isEqualTo("yes");
      assertThat(response.json().getBoolean("short")).isTrue();
    }

    @Test
    void no_match_and_no_default_is_a_configuration_error() throws Exception {
      load(routes(List.of(response("2\\d\\d", 200, Map.of(), Map.of()))));
      assertThat(post("/status/503", JSON, "{}").status()).isEqualTo(500);
    }
  }

  @Nested
  class Mock_integration {
    @Test
    void the_request_templates_status_code_picks_the_integration_response() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/mock",
                  false,
                  mock(
                      Map.of(JSON, "{\"statusCode\": $input.params('code')}"),
                      List.of(
                          response(null, 200, Map.of(), Map.of(JSON, "{\"found\": true}")),
                          response(
                              "404",
                              404,
                              Map.of("method.response.header.x-mock", "'missing'"),
                              Map.of(JSON, "{\"message\": \"no pet in $context.stage\"}")))))));
      GatewayRig.Response found = post("/mock?code=200", JSON, "{}");
      assertThat(found.status()).isEqualTo(200);
      assertThat(found.json().getBoolean("found")).isTrue();
      GatewayRig.Response missing = post("/mock?code=404", JSON, "{}");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.headers().get("x-mock")).isEqualTo("missing");
      assertThat(missing.json().getString("message")).isEqualTo("no pet in prod");
    }
  }

  @Nested
  class Content_handling {
    @Test
    void convert_to_text_sends_a_binary_request_body_as_base64() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/upload",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(),
                      null,
                      ContentHandling.CONVERT_TO_TEXT,
                      List.of()))),
          List.of("application/octet-stream"),
          Map.of());
      GatewayRig.Response response =
          post("/upload", "application/octet-stream", TemplateBackend.bytes(0xff, 0x00, 0x10));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("body")).isEqualTo("/wAQ");
    }

    @Test
    void convert_to_binary_sends_the_bytes_a_base64_request_body_encodes() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/upload",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(),
                      null,
                      ContentHandling.CONVERT_TO_BINARY,
                      List.of()))),
          List.of("application/octet-stream"),
          Map.of());
      GatewayRig.Response response = post("/upload", "text/plain", "aGVsbG8=");
      assertThat(response.json().getString("body")).isEqualTo("hello");
      assertThat(post("/upload", "text/plain", "not base64!").status()).isEqualTo(400);
    }

    @Test
    void convert_to_binary_on_a_response_decodes_the_backends_base64_text() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/base64",
                  false,
                  http(
                      backend.url() + "/base64",
                      Map.of(),
                      null,
                      null,
                      List.of(
                          new IntegrationResponse(
                              null, 200, Map.of(), Map.of(), ContentHandling.CONVERT_TO_BINARY))))),
          List.of("application/octet-stream"),
          Map.of());
      GatewayRig.Response response = post("/base64", JSON, "{}");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("hello");
    }
  }

  @Nested
  class Gateway_responses {
    @Test
    void a_template_renders_the_error_and_parameters_map_headers() throws Exception {
      load(
          List.of(route("POST", "/pets", false, mock(Map.of(), List.of()))),
          List.of(),
          Map.of(
              "MISSING_AUTHENTICATION_TOKEN",
              new GatewayResponseConfig(
                  404,
                  Map.of("x-literal", "kept"),
                  null,
                  Map.of(
                      "gatewayresponse.header.x-trace", "method.request.header.x-trace",
                      "gatewayresponse.header.x-stage", "context.stage",
                      "gatewayresponse.header.x-fixed", "'yes'"),
                  Map.of(
                      JSON,
                      "{\"msg\": $context.error.messageString,"
                          + " \"type\": \"$context.error.responseType\","
                          + " \"stage\": \"$context.stage\"}"))));
      GatewayRig.Response response =
          gateway.get("/acme/pets/prod/nowhere", Map.of("x-trace", "t-1"));
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.json().getString("msg")).isEqualTo("Missing Authentication Token");
      assertThat(response.json().getString("type")).isEqualTo("MISSING_AUTHENTICATION_TOKEN");
      assertThat(response.json().getString("stage")).isEqualTo("prod");
      assertThat(response.headers().get("x-trace")).isEqualTo("t-1");
      assertThat(response.headers().get("x-stage")).isEqualTo("prod");
      assertThat(response.headers().get("x-fixed")).isEqualTo("yes");
      assertThat(response.headers().get("x-literal")).isEqualTo("kept");
    }

    @Test
    void a_default_4xx_template_shapes_the_415_of_a_refused_media_type() throws Exception {
      load(
          List.of(
              route(
                  "POST",
                  "/pets",
                  false,
                  http(
                      backend.url() + "/echo",
                      Map.of(),
                      PassthroughBehavior.NEVER,
                      null,
                      List.of()))),
          List.of(),
          Map.of(
              "DEFAULT_4XX",
              new GatewayResponseConfig(
                  null,
                  Map.of(),
                  null,
                  Map.of(),
                  Map.of(JSON, "{\"error\": \"$context.error.message\"}"))));
      GatewayRig.Response response = post("/pets", "text/plain", "x");
      assertThat(response.status()).isEqualTo(415);
      assertThat(response.json().getString("error")).isEqualTo("Unsupported Media Type");
    }
  }

  @Nested
  class Aws_function_integration {
    final List<FunctionHost> hosts = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeHosts() {
      hosts.forEach(FunctionHost::close);
    }

    /** Answers {"pet": name} for a payload naming a pet, a function error for one that does not. */
    FunctionHost petFunction() throws Exception {
      FunctionHost host =
          FunctionHost.answering(
              event -> {
                JsonObject payload = new JsonObject(Buffer.buffer(event));
                String name = payload.getString("name");
                if (name == null || name.isEmpty()) {
                  return new FunctionHost.Answer(
                      200,
                      Map.of("X-Amz-Function-Error", "Unhandled"),
                      "{\"errorMessage\": \"Not found: no name\", \"errorType\": \"NotFound\"}"
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                return FunctionHost.Answer.ok(
                    new JsonObject()
                        .put("pet", name)
                        .put("from", payload.getString("stage"))
                        .encode());
              });
      hosts.add(host);
      return host;
    }

    IntegrationConfig aws(FunctionHost host, List<IntegrationResponse> responses) {
      return new IntegrationConfig(
          IntegrationType.AWS,
          "POST",
          null,
          1000,
          29_000,
          Map.of(),
          null,
          new FunctionTarget("pets", host.invokeUrl(), 0, FunctionTarget.PAYLOAD_1_0),
          Map.of(JSON, "{\"name\": \"$input.path('$.petName')\", \"stage\": \"$context.stage\"}"),
          PassthroughBehavior.WHEN_NO_TEMPLATES,
          null,
          responses);
    }

    List<IntegrationResponse> responses() {
      return List.of(
          response(null, 200, Map.of(), Map.of(JSON, "{\"adopted\": $input.json('$.pet')}")),
          response(
              "Not found:.*",
              404,
              Map.of("method.response.header.x-error", "'missing'"),
              Map.of(JSON, "{\"why\": $input.json('$.errorMessage')}")));
    }

    @Test
    void the_request_template_makes_the_payload_and_the_response_template_shapes_the_answer()
        throws Exception {
      FunctionHost fn = petFunction();
      load(List.of(route("POST", "/adopt", false, aws(fn, responses()))));
      GatewayRig.Response response = post("/adopt", JSON, "{\"petName\": \"rex\"}");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("adopted")).isEqualTo("rex");
      assertThat(new JsonObject(fn.events().get(0)).getString("stage")).isEqualTo("prod");
    }

    @Test
    void a_function_errors_message_picks_the_integration_response() throws Exception {
      FunctionHost fn = petFunction();
      load(List.of(route("POST", "/adopt", false, aws(fn, responses()))));
      GatewayRig.Response response = post("/adopt", JSON, "{}");
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.headers().get("x-error")).isEqualTo("missing");
      assertThat(response.json().getString("why")).isEqualTo("Not found: no name");
    }

    @Test
    void an_aws_integration_without_a_function_breaks_only_its_route() throws Exception {
      FunctionHost fn = petFunction();
      IntegrationConfig noFunction =
          new IntegrationConfig(
              IntegrationType.AWS,
              "POST",
              "arn:aws:apigateway:us-east-1:dynamodb:action/PutItem",
              0,
              0,
              Map.of(),
              null,
              null,
              Map.of(),
              null,
              null,
              List.of());
      load(
          List.of(
              route("POST", "/dynamo", false, noFunction),
              route("POST", "/adopt", false, aws(fn, responses()))));
      assertThat(post("/dynamo", JSON, "{}").status()).isEqualTo(500);
      assertThat(post("/adopt", JSON, "{\"petName\": \"rex\"}").status()).isEqualTo(200);
    }
  }
}
