package dev.turnpike.controlplane.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.JwtConfiguration;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.controlplane.authorizer.AuthorizerSpec;
import dev.turnpike.controlplane.problem.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Authorizers in documents as API Gateway exports them, and back out. */
class AuthorizerImportTest {
  static final String COGNITO_ISSUER =
      "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";

  /** An HTTP API export (as `aws apigatewayv2 export-api`) with a Cognito-backed JWT authorizer. */
  static final String HTTP_API_EXPORT =
      """
      {
        "openapi": "3.0.1",
        "info": {"title": "orders-http", "version": "2026-01-05 09:00:00UTC"},
        "servers": [{"url": "https://abc123.execute-api.eu-west-1.amazonaws.com/{basePath}",
                     "variables": {"basePath": {"default": ""}}}],
        "paths": {
          "/orders": {
            "get": {
              "responses": {"default": {"description": "Default response for GET /orders"}},
              "security": [{"cognito": ["orders/read", "orders/admin"]}],
              "x-amazon-apigateway-integration": {
                "payloadFormatVersion": "2.0", "type": "aws_proxy", "httpMethod": "POST",
                "uri": "arn:aws:lambda:eu-west-1:123456789012:function:orders",
                "connectionType": "INTERNET"}
            },
            "post": {
              "responses": {"default": {"description": "Default response for POST /orders"}},
              "security": [{"cognito": []}],
              "x-amazon-apigateway-integration": {
                "payloadFormatVersion": "2.0", "type": "aws_proxy", "httpMethod": "POST",
                "uri": "arn:aws:lambda:eu-west-1:123456789012:function:orders",
                "connectionType": "INTERNET"}
            }
          },
          "/health": {
            "get": {
              "responses": {"default": {"description": "ok"}},
              "x-amazon-apigateway-integration": {"type": "mock"}
            }
          }
        },
        "components": {
          "securitySchemes": {
            "cognito": {
              "type": "oauth2",
              "flows": {},
              "x-amazon-apigateway-authorizer": {
                "identitySource": "$request.header.Authorization",
                "jwtConfiguration": {
                  "audience": ["7ab3c1k0mf2g5example"],
                  "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
                },
                "type": "jwt"
              }
            }
          }
        },
        "x-amazon-apigateway-importexport-version": "1.0"
      }
      """;

  /**
   * A REST API export (as `aws apigateway get-export`) with a Lambda TOKEN authorizer and a key.
   */
  static final String REST_API_EXPORT =
      """
      {
        "openapi": "3.0.1",
        "info": {"title": "pets-rest", "version": "2026-01-05T09:00:00Z"},
        "servers": [{"url": "https://xyz789.execute-api.us-east-1.amazonaws.com/{basePath}",
                     "variables": {"basePath": {"default": "prod"}}}],
        "paths": {
          "/pets": {
            "get": {
              "responses": {"200": {"description": "200 response"}},
              "security": [{"api_key": []}, {"lambda-token": []}],
              "x-amazon-apigateway-integration": {
                "type": "http_proxy", "httpMethod": "GET",
                "uri": "https://pets.example.com/pets", "passthroughBehavior": "when_no_match"}
            }
          },
          "/pets/{petId}": {
            "get": {
              "parameters": [{"name": "petId", "in": "path", "required": true,
                              "schema": {"type": "string"}}],
              "responses": {"200": {"description": "200 response"}},
              "security": [{"lambda-request": []}],
              "x-amazon-apigateway-integration": {
                "type": "http_proxy", "httpMethod": "GET",
                "uri": "https://pets.example.com/pets/{petId}",
                "requestParameters": {"integration.request.path.petId": "method.request.path.petId"}}
            }
          }
        },
        "components": {
          "securitySchemes": {
            "api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"},
            "lambda-token": {
              "type": "apiKey", "name": "Authorization", "in": "header",
              "x-amazon-apigateway-authtype": "custom",
              "x-amazon-apigateway-authorizer": {
                "type": "token",
                "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token-auth/invocations",
                "authorizerCredentials": "arn:aws:iam::123456789012:role/apigw-invoke",
                "authorizerResultTtlInSeconds": 60,
                "identityValidationExpression": "^Bearer [-0-9a-zA-Z._]+$"
              }
            },
            "lambda-request": {
              "type": "apiKey", "name": "Unused", "in": "header",
              "x-amazon-apigateway-authtype": "custom",
              "x-amazon-apigateway-authorizer": {
                "type": "request",
                "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:request-auth:live/invocations",
                "authorizerResultTtlInSeconds": 0,
                "identitySource": "method.request.header.X-Tenant, method.request.querystring.sig, context.identity.sourceIp"
              }
            }
          }
        },
        "x-amazon-apigateway-api-key-source": "AUTHORIZER"
      }
      """;

  record Mapped(ImportedApi api, Findings findings) {
    List<String> errors() {
      return findings.errors().stream().map(e -> e.pointer() + " " + e.message()).toList();
    }

    List<String> errorPointers() {
      return findings.errors().stream().map(FieldError::pointer).toList();
    }

    ImportedRoute route(String method, String path) {
      return api.routes().stream()
          .filter(r -> r.method().equals(method) && r.resourcePath().equals(path))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no route " + method + " " + path));
    }

    AuthorizerSpec authorizer(String name) {
      return api.authorizers().stream()
          .filter(a -> a.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no authorizer " + name))
          .spec();
    }
  }

  static Mapped map(String json) {
    Findings findings = new Findings();
    ImportedApi api =
        DocumentMapper.map(
            DocumentCodec.read(json.getBytes(StandardCharsets.UTF_8), "application/json"),
            findings);
    return new Mapped(api, findings);
  }

  @Nested
  class Import {
    @Test
    void an_http_api_jwt_authorizer_becomes_an_authorizer_and_its_routes_scopes() {
      Mapped m = map(HTTP_API_EXPORT);

      assertThat(m.errors()).isEmpty();
      AuthorizerSpec cognito = m.authorizer("cognito");
      assertThat(cognito.type()).isEqualTo("jwt");
      assertThat(cognito.jwt())
          .isEqualTo(new JwtConfiguration(COGNITO_ISSUER, List.of("7ab3c1k0mf2g5example")));
      assertThat(cognito.identitySources()).containsExactly("$request.header.Authorization");
      assertThat(m.route("GET", "/orders").authorizer()).isEqualTo("cognito");
      assertThat(m.route("GET", "/orders").scopes()).containsExactly("orders/read", "orders/admin");
      assertThat(m.route("POST", "/orders").authorizer()).isEqualTo("cognito");
      assertThat(m.route("POST", "/orders").scopes()).isEmpty();
      assertThat(m.route("GET", "/health").authorizer()).isNull();
    }

    @Test
    void rest_api_lambda_token_and_request_authorizers_become_authorizers_naming_functions() {
      Mapped m = map(REST_API_EXPORT);

      assertThat(m.errors()).isEmpty();
      AuthorizerSpec token = m.authorizer("lambda-token");
      assertThat(token.type()).isEqualTo("token");
      assertThat(token.function()).isEqualTo("token-auth");
      assertThat(token.identitySources()).containsExactly("method.request.header.Authorization");
      assertThat(token.resultTtlSeconds()).isEqualTo(60);
      assertThat(token.identityValidationExpression()).isEqualTo("^Bearer [-0-9a-zA-Z._]+$");
      AuthorizerSpec request = m.authorizer("lambda-request");
      assertThat(request.function()).isEqualTo("request-auth:live");
      assertThat(request.identitySources())
          .containsExactly(
              "method.request.header.X-Tenant",
              "method.request.querystring.sig",
              "context.identity.sourceIp");
      assertThat(request.resultTtlSeconds()).isZero();
      assertThat(m.route("GET", "/pets").apiKeyRequired()).isTrue();
      assertThat(m.route("GET", "/pets").authorizer()).isEqualTo("lambda-token");
      assertThat(m.route("GET", "/pets/{petId}").authorizer()).isEqualTo("lambda-request");
      assertThat(m.api().apiKeySource()).isEqualTo("AUTHORIZER");
      // The IAM role API Gateway would invoke the function with has no meaning here.
      assertThat(m.findings().warnings())
          .extracting(FieldError::pointer)
          .contains(
              "/components/securitySchemes/lambda-token/x-amazon-apigateway-authorizer"
                  + "/authorizerCredentials");
    }

    @Test
    void an_invalid_authorizer_is_refused_at_its_place_in_the_document() {
      String document =
          REST_API_EXPORT
              .replace(
                  "\"authorizerResultTtlInSeconds\": 60", "\"authorizerResultTtlInSeconds\": 7200")
              .replace("^Bearer [-0-9a-zA-Z._]+$", "^Bearer (?=x)");

      Mapped m = map(document);

      String at = "/components/securitySchemes/lambda-token/x-amazon-apigateway-authorizer";
      assertThat(m.errorPointers())
          .containsExactlyInAnyOrder(
              at + "/authorizerResultTtlInSeconds", at + "/identityValidationExpression");
    }

    @Test
    void scopes_on_a_custom_authorizer_and_two_authorizers_on_one_method_are_refused() {
      String document =
          REST_API_EXPORT.replace(
              "\"security\": [{\"lambda-request\": []}]",
              "\"security\": [{\"lambda-request\": [\"s\"]}, {\"lambda-token\": []}]");

      Mapped m = map(document);

      assertThat(m.errorPointers())
          .containsExactlyInAnyOrder(
              "/paths/~1pets~1{petId}/get/security/0/lambda-request",
              "/paths/~1pets~1{petId}/get/security/1/lambda-token");
    }

    @Test
    void iam_and_cognito_user_pool_schemes_stay_refused_with_a_clear_message() {
      String document =
          HTTP_API_EXPORT
              .replace("\"security\": [{\"cognito\": []}]", "\"security\": [{\"sigv4\": []}]")
              .replace(
                  "\"securitySchemes\": {",
                  "\"securitySchemes\": {\"sigv4\": {\"type\": \"apiKey\", \"name\":"
                      + " \"Authorization\", \"in\": \"header\","
                      + " \"x-amazon-apigateway-authtype\": \"awsSigv4\"},"
                      + " \"pool\": {\"type\": \"apiKey\", \"name\": \"Authorization\", \"in\":"
                      + " \"header\", \"x-amazon-apigateway-authtype\": \"cognito_user_pools\","
                      + " \"x-amazon-apigateway-authorizer\": {\"type\": \"cognito_user_pools\","
                      + " \"providerARNs\": [\"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/"
                      + "eu-west-1_AbCdEf123\"]}},")
              .replace(
                  "\"security\": [{\"cognito\": [\"orders/read\", \"orders/admin\"]}]",
                  "\"security\": [{\"pool\": []}]");

      Mapped m = map(document);

      assertThat(m.errors())
          .anySatisfy(
              e ->
                  assertThat(e)
                      .startsWith("/paths/~1orders/post/security/0/sigv4")
                      .contains("IAM (SigV4)"))
          .anySatisfy(
              e ->
                  assertThat(e)
                      .startsWith("/paths/~1orders/get/security/0/pool")
                      .contains("https://cognito-idp.{region}.amazonaws.com/{userPoolId}"));
    }

    @Test
    void an_authorizer_endpoint_is_held_to_the_egress_policy() {
      String document =
          REST_API_EXPORT.replace(
              "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token-auth/invocations",
              "http://169.254.169.254/latest");
      Findings findings =
          new Findings(
              dev.turnpike.controlplane.limit.OwnerLimits.defaults(),
              uri -> uri.contains("169.254") ? "is a link-local address" : null);

      DocumentMapper.map(
          DocumentCodec.read(document.getBytes(StandardCharsets.UTF_8), "application/json"),
          findings);

      assertThat(findings.errors())
          .extracting(FieldError::pointer)
          .containsExactly(
              "/components/securitySchemes/lambda-token/x-amazon-apigateway-authorizer"
                  + "/authorizerUri");
    }
  }

  @Nested
  class Export {
    static final IntegrationConfig MOCK =
        new IntegrationConfig(
            dev.turnpike.contracts.config.IntegrationType.MOCK,
            null,
            null,
            10_000,
            29_000,
            Map.of(),
            new MockResponse(200, Map.of(), "{}"));

    @Test
    void exported_authorizers_and_method_security_import_back_the_same() {
      String jwtId = UUID.randomUUID().toString();
      AuthorizerConfig jwt =
          AuthorizerConfig.jwt(
              jwtId,
              "keycloak",
              "$request.header.Authorization",
              new JwtConfiguration("https://id.example.com/realms/acme", List.of("pets-api")));
      AuthorizerConfig token =
          new AuthorizerConfig(
              UUID.randomUUID().toString(),
              "lambda",
              AuthorizerType.TOKEN,
              List.of("method.request.header.X-Token"),
              null,
              new FunctionTarget("auth:${stageVariables.alias}", null, 5000, "1.0"),
              null,
              5000,
              120,
              "^Bearer .+$",
              "1.0",
              false);
      AuthorizerConfig request =
          new AuthorizerConfig(
              UUID.randomUUID().toString(),
              "edge",
              AuthorizerType.REQUEST,
              List.of("$request.header.X-Tenant", "$context.identity.sourceIp"),
              null,
              null,
              "https://auth.example.com/decide",
              10_000,
              300,
              null,
              "2.0",
              true);
      JsonNode exported =
          DocumentWriter.write(
              new DocumentWriter.Export(
                  "pets",
                  null,
                  "v1",
                  "AUTHORIZER",
                  List.of(
                      new DocumentWriter.Operation(
                          "GET", "/pets", true, MOCK, null, "keycloak", List.of("pets:read")),
                      new DocumentWriter.Operation(
                          "POST", "/pets", false, MOCK, null, "lambda", List.of()),
                      new DocumentWriter.Operation(
                          "GET", "/edge", false, MOCK, null, "edge", List.of()),
                      new DocumentWriter.Operation(
                          "GET", "/open", false, MOCK, null, null, List.of())),
                  Map.of(),
                  List.of(),
                  "/{basePath}",
                  "prod",
                  List.of(jwt, token, request),
                  null,
                  null,
                  null));

      Findings findings = new Findings();
      ImportedApi back = DocumentMapper.map(exported, findings);

      assertThat(findings.errors()).isEmpty();
      Mapped m = new Mapped(back, findings);
      AuthorizerSpec keycloak = m.authorizer("keycloak");
      assertThat(keycloak.jwt()).isEqualTo(jwt.jwt());
      assertThat(keycloak.identitySources()).containsExactly("$request.header.Authorization");
      AuthorizerSpec lambda = m.authorizer("lambda");
      assertThat(lambda.function()).isEqualTo("auth:${stageVariables.alias}");
      assertThat(lambda.identitySources()).containsExactly("method.request.header.X-Token");
      assertThat(lambda.timeoutMillis()).isEqualTo(5000);
      assertThat(lambda.resultTtlSeconds()).isEqualTo(120);
      assertThat(lambda.identityValidationExpression()).isEqualTo("^Bearer .+$");
      AuthorizerSpec edge = m.authorizer("edge");
      assertThat(edge.endpointUrl()).isEqualTo("https://auth.example.com/decide");
      assertThat(edge.identitySources())
          .containsExactly("$request.header.X-Tenant", "$context.identity.sourceIp");
      assertThat(edge.payloadFormatVersion()).isEqualTo("2.0");
      assertThat(edge.simpleResponses()).isTrue();
      assertThat(m.route("GET", "/pets").apiKeyRequired()).isTrue();
      assertThat(m.route("GET", "/pets").authorizer()).isEqualTo("keycloak");
      assertThat(m.route("GET", "/pets").scopes()).containsExactly("pets:read");
      assertThat(m.route("POST", "/pets").authorizer()).isEqualTo("lambda");
      assertThat(m.route("GET", "/open").authorizer()).isNull();
      assertThat(back.apiKeySource()).isEqualTo("AUTHORIZER");
    }
  }
}
