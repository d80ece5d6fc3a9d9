package dev.turnpike.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.platform.demo.DemoBackend;
import dev.turnpike.platform.demo.DemoSeed;
import dev.turnpike.testkit.Await;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API exported from Amazon API Gateway that mixes mock, http and Lambda proxy methods, and http
 * and Lambda (aws) methods shaped by mapping templates, moves to the platform as {@code ./turnpike
 * up} starts it, unchanged: imported into the demo tenant, deployed, and served by the gateway, its
 * {@code aws_proxy} method by the demo function that {@code up} registered (a Lambda handler in the
 * demo backend, named as the export's Lambda ARN names it). The demo's own function route answers
 * first, as the README's tour calls it.
 */
@Tag("platform")
class AwsExportOnPlatformTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Duration PROPAGATION = Duration.ofSeconds(60);
  static final ObjectMapper JSON = new ObjectMapper();

  final HttpClient http = HttpClient.newHttpClient();

  /**
   * What API Gateway's export of a REST API writes (OpenAPI 3.0.1, {@code servers} on execute-api,
   * lower-case integration types): a mock, an http_proxy to the demo backend and a Lambda proxy
   * integration whose ARN names the function {@value DemoBackend#FUNCTION}.
   */
  static String awsExport(String demoBackendPort) {
    return """
        openapi: "3.0.1"
        info:
          title: "Storefront"
          version: "2024-05-01T10:00:00Z"
        servers:
        - url: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/{basePath}"
          variables:
            basePath:
              default: "prod"
        paths:
          /health:
            get:
              responses:
                "200":
                  description: "200 response"
              x-amazon-apigateway-integration:
                type: "mock"
                requestTemplates:
                  application/json: "{\\"statusCode\\": 200}"
                responses:
                  default:
                    statusCode: "200"
                    responseTemplates:
                      application/json: "{\\"status\\": \\"ok\\"}"
                passthroughBehavior: "when_no_match"
          /hello:
            get:
              responses:
                "200":
                  description: "200 response"
              x-amazon-apigateway-integration:
                type: "http_proxy"
                httpMethod: "GET"
                uri: "http://127.0.0.1:%s/hello"
                passthroughBehavior: "when_no_match"
                timeoutInMillis: 5000
          /greet/{name}:
            get:
              parameters:
              - name: "name"
                in: "path"
                required: true
                schema:
                  type: "string"
              responses:
                "200":
                  description: "200 response"
              x-amazon-apigateway-integration:
                type: "aws_proxy"
                httpMethod: "POST"
                uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:%s/invocations"
                passthroughBehavior: "when_no_match"
                contentHandling: "CONVERT_TO_TEXT"
                timeoutInMillis: 5000
          /quote:
            get:
              parameters:
              - name: "who"
                in: "query"
                schema:
                  type: "string"
              responses:
                "200":
                  description: "200 response"
              x-amazon-apigateway-integration:
                type: "http"
                httpMethod: "GET"
                uri: "http://127.0.0.1:%s/hello"
                requestParameters:
                  integration.request.querystring.name: "method.request.querystring.who"
                responses:
                  default:
                    statusCode: "200"
                    responseParameters:
                      method.response.header.x-mapped: "'yes'"
                    responseTemplates:
                      application/json: "{\\"greeting\\": $input.json('$.message'), \\"stage\\": \\"$context.stage\\"}"
                passthroughBehavior: "when_no_templates"
                timeoutInMillis: 5000
          /shout:
            post:
              responses:
                "200":
                  description: "200 response"
              x-amazon-apigateway-integration:
                type: "aws"
                httpMethod: "POST"
                uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:%s/invocations"
                requestTemplates:
                  application/json: "{\\"httpMethod\\": \\"POST\\", \\"resource\\": \\"/shout\\", \\"queryStringParameters\\": {\\"name\\": \\"$util.escapeJavaScript($input.path('$.name'))\\"}}"
                responses:
                  default:
                    statusCode: "200"
                    responseTemplates:
                      application/json: "#set($answer = $util.parseJson($input.path('$.body')))\\n{\\"shout\\": \\"$answer.message.toUpperCase()\\"}"
                passthroughBehavior: "never"
                timeoutInMillis: 5000
        """
        .formatted(demoBackendPort, DemoBackend.FUNCTION, demoBackendPort, DemoBackend.FUNCTION);
  }

  @Test
  void an_aws_export_mixing_mock_http_and_lambda_proxy_methods_is_served_on_the_platform(
      @TempDir Path state) throws Exception {
    Map<String, String> env = new HashMap<>(LaunchedPlatform.freePorts());
    env.put("TURNPIKE_PLATFORM_DIR", state.toString());
    env.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    String gateway = "http://localhost:" + env.get("TURNPIKE_GATEWAY_PORT");

    try (LaunchedPlatform platform =
        LaunchedPlatform.start(ROOT, env, state.resolve("platform.out"))) {
      // The demo function, as the README's tour calls it right after ./turnpike up.
      String key = Files.readString(state.resolve("demo-api-key.txt")).strip();
      HttpResponse<String> demo = get(gateway + "/demo/hello/prod/function?name=Tour", key);
      assertThat(demo.statusCode()).as(demo.body()).isEqualTo(200);
      JsonNode greeting = JSON.readTree(demo.body());
      assertThat(greeting.path("message").asText()).isEqualTo("Hello, Tour, from a function!");
      assertThat(greeting.path("resource").asText()).isEqualTo(DemoSeed.FUNCTION_PATH);
      assertThat(get(gateway + "/demo/hello/prod/function", null).statusCode()).isEqualTo(403);
      assertThat(platform.output()).contains(DemoSeed.FUNCTION_PATH + "?name=Ada");

      // The demo owner imports the export into the demo tenant, beside the demo API.
      PlatformSettings settings = PlatformSettings.fromEnvironment(env, ROOT);
      String token = ownerToken(settings.keycloak().tokenEndpoint());
      ApiClient api = new ApiClient(Integer.parseInt(env.get("TURNPIKE_CP_PORT")));
      Fixture fx = new Fixture(api, token);
      String tenant =
          api.get(token, "/v1/tenants").items().stream()
              .map(JsonObject.class::cast)
              .filter(t -> DemoSeed.TENANT.equals(t.getString("slug")))
              .findFirst()
              .orElseThrow()
              .getString("id");
      String slug = "storefront-" + UUID.randomUUID().toString().substring(0, 6);
      String base = "/v1/tenants/" + tenant + "/apis";
      String apiId =
          fx.created(base, new JsonObject().put("slug", slug).put("name", "Storefront"))
              .getString("id");
      ApiClient.Answer imported =
          api.send(
              "POST",
              token,
              base + "/" + apiId + "/openapi",
              awsExport(env.get("TURNPIKE_DEMO_BACKEND_PORT")),
              "application/yaml");
      assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
      assertThat(imported.json().getJsonArray("warnings").encode())
          .as("the function the ARN names is registered")
          .doesNotContain("not registered");
      Map<String, String> types =
          imported.json().getJsonArray("integrations").stream()
              .map(JsonObject.class::cast)
              .collect(
                  Collectors.toMap(
                      i -> i.getString("type"), i -> String.valueOf(i.getString("function"))));
      assertThat(types)
          .containsOnlyKeys("mock", "http_proxy", "aws_proxy", "http", "aws")
          .containsEntry("aws_proxy", DemoBackend.FUNCTION)
          .containsEntry("aws", DemoBackend.FUNCTION);
      assertThat(imported.json().getJsonArray("warnings").encode())
          .as("templates are kept, not ignored")
          .doesNotContainIgnoringCase("ignored");

      String stageId = fx.stage(tenant, apiId, "prod");
      fx.deploy(tenant, apiId, stageId);

      // Served through the gateway once the deployment reached it, each method its own way.
      String api0 = gateway + "/demo/" + slug + "/prod";
      Await.until(
          PROPAGATION,
          () -> get(api0 + "/health", null).statusCode() == 200,
          "the imported API answers through the gateway");
      HttpResponse<String> health = get(api0 + "/health", null);
      assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("ok");
      HttpResponse<String> hello = get(api0 + "/hello?name=Export", null);
      assertThat(hello.statusCode()).as(hello.body()).isEqualTo(200);
      assertThat(JSON.readTree(hello.body()).path("message").asText()).isEqualTo("Hello, Export!");
      HttpResponse<String> function = get(api0 + "/greet/Ada?name=Ada%20L", null);
      assertThat(function.statusCode()).as(function.body()).isEqualTo(200);
      assertThat(function.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode event = JSON.readTree(function.body());
      assertThat(event.path("message").asText()).isEqualTo("Hello, Ada L, from a function!");
      assertThat(event.path("resource").asText()).isEqualTo("/greet/{name}");
      assertThat(event.path("httpMethod").asText()).isEqualTo("GET");
      assertThat(event.path("stage").asText()).isEqualTo("prod");
      assertThat(event.path("requestId").asText()).isNotEmpty();

      // Mapping templates: an http integration whose response template reshapes the backend's
      // JSON, with a mapped query parameter and a literal header; an aws (non-proxy) integration
      // whose request template makes the function's payload and whose response template reads
      // the function's answer; passthrough "never" refuses a body no template matches.
      HttpResponse<String> quote = get(api0 + "/quote?who=Mapped", null);
      assertThat(quote.statusCode()).as(quote.body()).isEqualTo(200);
      assertThat(quote.body()).isEqualTo("{\"greeting\": \"Hello, Mapped!\", \"stage\": \"prod\"}");
      assertThat(quote.headers().firstValue("x-mapped")).hasValue("yes");
      HttpResponse<String> shout = post(api0 + "/shout", "application/json", "{\"name\": \"Ada\"}");
      assertThat(shout.statusCode()).as(shout.body()).isEqualTo(200);
      assertThat(shout.body()).isEqualTo("{\"shout\": \"HELLO, ADA, FROM A FUNCTION!\"}");
      HttpResponse<String> unmatched = post(api0 + "/shout", "text/plain", "Ada");
      assertThat(unmatched.statusCode()).as(unmatched.body()).isEqualTo(415);
      assertThat(unmatched.body()).isEqualTo("{\"message\":\"Unsupported Media Type\"}");
    }
  }

  String ownerToken(String tokenEndpoint) throws Exception {
    String form =
        Map.of(
                "grant_type", "password",
                "client_id", DemoSeed.CLI_CLIENT,
                "username", DemoSeed.OWNER,
                "password", DemoSeed.OWNER_PASSWORD,
                "scope", "openid")
            .entrySet()
            .stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body()).path("access_token").asText();
  }

  HttpResponse<String> post(String url, String contentType, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("calling " + url + ": " + e, e);
    }
  }

  HttpResponse<String> get(String url, String key) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (key != null) {
      request.header("x-api-key", key);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("calling " + url + ": " + e, e);
    }
  }
}
