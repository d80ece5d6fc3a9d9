package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.ApiKeySource;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.JwtConfiguration;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Apis.CreateApi;
import dev.turnpike.controlplane.api.Apis.UpdateApi;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Integrations.IntegrationInput;
import dev.turnpike.controlplane.api.Integrations.MockInput;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.api.Routes.RouteInput;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.authorizer.AuthorizerSpec;
import dev.turnpike.controlplane.deployment.Deployments.CreateDeployment;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.Stages.CreateStage;
import dev.turnpike.controlplane.function.Functions.FunctionInput;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tenant.Access;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rules of authorizers and of methods' authorization, on in-memory stores. */
class AuthorizerUseCasesTest {
  private static final String ISSUER = "https://id.example.com/realms/acme";

  private final Tenancy t = new Tenancy();

  static AuthorizerSpec jwt(String issuer, List<String> audience) {
    return new AuthorizerSpec(
        "jwt",
        null,
        new JwtConfiguration(issuer, audience),
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static AuthorizerSpec token(String function, String endpointUrl) {
    return new AuthorizerSpec(
        "token", null, null, function, endpointUrl, null, null, null, null, null);
  }

  private Api api(String slug) {
    return t.write(tx -> t.u.apis().create(tx, new CreateApi(slug, slug, null, null, null, null)));
  }

  private Integration mock(Api api) {
    return t.write(
        tx ->
            t.u
                .integrations()
                .create(
                    tx,
                    api.id(),
                    new IntegrationInput(
                        "mock", null, null, null, null, null, new MockInput(200, null, "{}"))));
  }

  private Authorizer put(Api api, String name, AuthorizerSpec spec) {
    return t.write(tx -> t.u.authorizers().put(tx, api.id(), name, spec));
  }

  private ApiFailure putFails(Api api, String name, AuthorizerSpec spec) {
    return t.failure(tx -> t.u.authorizers().put(tx, api.id(), name, spec));
  }

  private Route route(Api api, String path, RouteInput in) {
    return t.write(tx -> t.u.routes().create(tx, api.id(), in));
  }

  private static RouteInput authorized(
      String path, UUID integration, String type, String authorizer, List<String> scopes) {
    return new RouteInput("GET", path, false, integration, type, null, authorizer, scopes);
  }

  private static List<String> pointers(ApiFailure failure) {
    return failure.errors().stream().map(FieldError::pointer).toList();
  }

  @Nested
  class Defining {
    @Test
    void a_jwt_authorizer_gets_api_gateways_defaults_and_is_audited() {
      Api api = api("pets");

      Authorizer created = put(api, "keycloak", jwt(ISSUER, List.of("pets-api")));

      assertThat(created.spec().identitySources()).containsExactly("$request.header.Authorization");
      assertThat(created.spec().payloadFormatVersion()).isEqualTo("2.0");
      assertThat(created.spec().jwt().issuer()).isEqualTo(ISSUER);
      assertThat(t.list(tx -> t.u.authorizers().list(tx, api.id())))
          .extracting(Authorizer::name)
          .containsExactly("keycloak");
      assertThat(t.cp.audit(t.tenant)).extracting(e -> e.action()).contains("authorizer.create");
    }

    @Test
    void a_put_on_an_existing_name_replaces_it_and_keeps_its_id() {
      Api api = api("pets");
      Authorizer first = put(api, "keycloak", jwt(ISSUER, List.of("a")));

      Authorizer second = put(api, "keycloak", jwt(ISSUER, List.of("a", "b")));

      assertThat(second.id()).isEqualTo(first.id());
      assertThat(second.spec().jwt().audience()).containsExactly("a", "b");
      assertThat(t.cp.audit(t.tenant)).extracting(e -> e.action()).contains("authorizer.update");
    }

    @Test
    void a_jwt_authorizer_needs_an_http_issuer_and_an_audience_and_nothing_is_stored_otherwise() {
      Api api = api("pets");

      ApiFailure failure = putFails(api, "bad", jwt("ftp://id.example.com", List.of()));

      assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
      assertThat(pointers(failure)).containsExactlyInAnyOrder("/jwt/issuer", "/jwt/audience");
      assertThat(t.list(tx -> t.u.authorizers().list(tx, api.id()))).isEmpty();
    }

    @Test
    void a_jwt_authorizer_reads_one_request_header_or_query_parameter() {
      Api api = api("pets");
      AuthorizerSpec spec =
          new AuthorizerSpec(
              "jwt",
              List.of("method.request.header.Authorization"),
              new JwtConfiguration(ISSUER, List.of("a")),
              null,
              null,
              null,
              null,
              null,
              null,
              null);

      assertThat(pointers(putFails(api, "k", spec))).containsExactly("/identitySources/0");
    }

    @Test
    void a_token_authorizer_names_exactly_one_of_function_and_endpoint() {
      Api api = api("pets");

      assertThat(pointers(putFails(api, "both", token("auth", "https://auth.example.com/check"))))
          .containsExactly("/function");
      assertThat(pointers(putFails(api, "neither", token(null, null))))
          .containsExactly("/function");
    }

    @Test
    void a_lambda_arn_names_the_function_it_ends_in() {
      Api api = api("pets");

      Authorizer created =
          put(api, "lambda", token("arn:aws:lambda:eu-west-1:123456789012:function:auth", null));

      assertThat(created.spec().function()).isEqualTo("auth");
      assertThat(created.spec().identitySources())
          .containsExactly("method.request.header.Authorization");
      assertThat(created.spec().resultTtlSeconds()).isEqualTo(300);
      assertThat(created.spec().timeoutMillis()).isEqualTo(10_000);
    }

    @Test
    void an_endpoint_the_egress_policy_refuses_is_refused() {
      Api api = api("pets");

      ApiFailure failure = putFails(api, "inside", token(null, "http://127.0.0.1:8080/auth"));

      assertThat(pointers(failure)).containsExactly("/endpointUrl");
      assertThat(t.list(tx -> t.u.authorizers().list(tx, api.id()))).isEmpty();
    }

    @Test
    void an_identity_validation_expression_must_compile_and_stay_short() {
      Api api = api("pets");
      AuthorizerSpec broken =
          new AuthorizerSpec(
              "token", null, null, "auth", null, null, null, "^Bearer (?=x)", null, null);
      AuthorizerSpec huge =
          new AuthorizerSpec(
              "token", null, null, "auth", null, null, null, "a".repeat(1025), null, null);

      assertThat(putFails(api, "broken", broken).errors())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.pointer()).isEqualTo("/identityValidationExpression");
                assertThat(e.message()).startsWith("does not compile");
              });
      assertThat(pointers(putFails(api, "huge", huge)))
          .containsExactly("/identityValidationExpression");
    }

    @Test
    void the_result_ttl_is_between_0_and_3600_and_the_timeout_is_bounded() {
      Api api = api("pets");
      AuthorizerSpec spec =
          new AuthorizerSpec("token", null, null, "auth", null, 60_000, 3601, null, null, null);

      assertThat(pointers(putFails(api, "slow", spec)))
          .containsExactlyInAnyOrder("/resultTtlSeconds", "/timeoutMillis");
    }

    @Test
    void request_identity_sources_follow_api_gateways_syntax() {
      Api api = api("pets");
      AuthorizerSpec spec =
          new AuthorizerSpec(
              "request",
              List.of(
                  "method.request.header.X-Tenant",
                  "method.request.querystring.token",
                  "stageVariables.realm",
                  "$context.identity.sourceIp",
                  "request.body"),
              null,
              "auth",
              null,
              null,
              null,
              null,
              null,
              null);

      assertThat(pointers(putFails(api, "r", spec))).containsExactly("/identitySources/4");
    }

    @Test
    void a_context_identity_source_must_be_one_the_gateway_knows_before_the_authorizer_runs() {
      // Saved before, these deployed and then broke the stage at the gateway, which reads only
      // the variables known before the authorizer answers.
      Api api = api("pets");
      AuthorizerSpec spec =
          new AuthorizerSpec(
              "request",
              List.of(
                  "context.identity.sourceIp",
                  "$context.stage",
                  "$context.sourceIp",
                  "context.authorizer.claims.sub",
                  "$context.identity.apiKey"),
              null,
              "auth",
              null,
              null,
              null,
              null,
              null,
              null);

      assertThat(pointers(putFails(api, "r", spec)))
          .containsExactly("/identitySources/2", "/identitySources/3", "/identitySources/4");
    }

    @Test
    void a_cached_request_authorizer_needs_an_identity_source() {
      Api api = api("pets");
      AuthorizerSpec cached =
          new AuthorizerSpec("request", null, null, "auth", null, null, null, null, null, null);
      AuthorizerSpec uncached =
          new AuthorizerSpec("request", null, null, "auth", null, null, 0, null, "2.0", true);

      assertThat(pointers(putFails(api, "cached", cached))).containsExactly("/identitySources");
      assertThat(put(api, "uncached", uncached).spec().simpleResponses()).isTrue();
    }

    @Test
    void an_api_has_at_most_the_limits_authorizers() {
      Tenancy small = new Tenancy(Map.of("TURNPIKE_CP_LIMIT_AUTHORIZERS_PER_API", "1"));
      Api api =
          small.write(
              tx -> small.u.apis().create(tx, new CreateApi("p", "p", null, null, null, null)));
      small.write(tx -> small.u.authorizers().put(tx, api.id(), "one", jwt(ISSUER, List.of("a"))));

      ApiFailure failure =
          small.failure(
              tx -> small.u.authorizers().put(tx, api.id(), "two", jwt(ISSUER, List.of("a"))));

      assertThat(failure.kind()).isEqualTo(ProblemKind.LIMIT_EXCEEDED);
    }
  }

  @Nested
  class MethodAuthorization {
    @Test
    void a_method_names_its_apis_authorizer_by_name_and_takes_its_type_and_scopes() {
      Api api = api("pets");
      Authorizer keycloak = put(api, "keycloak", jwt(ISSUER, List.of("a")));
      Integration integration = mock(api);

      Route route =
          route(
              api,
              "/pets",
              authorized("/pets", integration.id(), null, "keycloak", List.of("pets:read")));

      assertThat(route.authorizationType()).isEqualTo("JWT");
      assertThat(route.authorizerId()).isEqualTo(keycloak.id());
      assertThat(route.authorizationScopes()).containsExactly("pets:read");
    }

    @Test
    void the_authorization_type_must_fit_the_authorizer_and_scopes_are_for_jwt_only() {
      Api api = api("pets");
      put(api, "keycloak", jwt(ISSUER, List.of("a")));
      put(api, "lambda", token("auth", null));
      Integration integration = mock(api);

      ApiFailure wrongType =
          t.failure(
              tx ->
                  t.u
                      .routes()
                      .create(
                          tx,
                          api.id(),
                          authorized("/a", integration.id(), "CUSTOM", "keycloak", null)));
      ApiFailure customScopes =
          t.failure(
              tx ->
                  t.u
                      .routes()
                      .create(
                          tx,
                          api.id(),
                          authorized("/b", integration.id(), null, "lambda", List.of("s"))));

      assertThat(pointers(wrongType)).containsExactly("/authorizationType");
      assertThat(pointers(customScopes)).containsExactly("/authorizationScopes");
      assertThat(t.list(tx -> t.u.routes().list(tx, api.id()))).isEmpty();
    }

    @Test
    void an_authorizer_of_another_api_is_not_one_a_method_can_name() {
      Api pets = api("pets");
      Api shop = api("shop");
      Authorizer shops = put(shop, "keycloak", jwt(ISSUER, List.of("a")));
      Integration integration = mock(pets);

      ApiFailure failure =
          t.failure(
              tx ->
                  t.u
                      .routes()
                      .create(
                          tx,
                          pets.id(),
                          new RouteInput(
                              "GET",
                              "/pets",
                              false,
                              integration.id(),
                              "JWT",
                              shops.id(),
                              null,
                              null)));

      assertThat(pointers(failure)).containsExactly("/authorizerId");
    }

    @Test
    void deleting_an_authorizer_that_methods_use_is_refused_naming_them() {
      Api api = api("pets");
      put(api, "keycloak", jwt(ISSUER, List.of("a")));
      Integration integration = mock(api);
      Route route =
          route(api, "/pets", authorized("/pets", integration.id(), null, "keycloak", null));

      ApiFailure failure = t.failure(tx -> t.u.authorizers().delete(tx, api.id(), "keycloak"));

      assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
      assertThat(failure.detail()).contains("GET /pets");
      t.write(
          tx ->
              t.u
                  .routes()
                  .update(
                      tx,
                      api.id(),
                      route.id(),
                      new RouteInput("GET", "/pets", false, integration.id())));
      t.run(tx -> t.u.authorizers().delete(tx, api.id(), "keycloak"));
      assertThat(t.list(tx -> t.u.authorizers().list(tx, api.id()))).isEmpty();
      assertThat(t.cp.audit(t.tenant)).extracting(e -> e.action()).contains("authorizer.delete");
    }

    @Test
    void an_authorizer_that_methods_use_keeps_its_kind() {
      Api api = api("pets");
      put(api, "keycloak", jwt(ISSUER, List.of("a")));
      Integration integration = mock(api);
      route(api, "/pets", authorized("/pets", integration.id(), null, "keycloak", null));

      ApiFailure failure = putFails(api, "keycloak", token("auth", null));

      assertThat(pointers(failure)).containsExactly("/type");
    }
  }

  @Nested
  class TenantIsolation {
    @Test
    void another_tenant_cannot_read_or_name_an_authorizer_or_function() {
      Api api = api("pets");
      Authorizer keycloak = put(api, "keycloak", jwt(ISSUER, List.of("a")));
      t.write(
          tx -> t.u.functions().put(tx, "auth", new FunctionInput("https://fn.example.com", null)));
      Caller mallory = t.cp.user("mallory@example.com");
      UUID other = t.cp.tenant(mallory, "mallory");
      Api own =
          t.cp.inTenant(
              mallory,
              other,
              Access.WRITE,
              tx -> t.u.apis().create(tx, new CreateApi("own", "own", null, null, null, null)));
      Integration integration =
          t.cp.inTenant(
              mallory,
              other,
              Access.WRITE,
              tx ->
                  t.u
                      .integrations()
                      .create(
                          tx,
                          own.id(),
                          new IntegrationInput(
                              "mock", null, null, null, null, null, new MockInput(200, null, ""))));

      // Reading the victim's authorizer through the victim's API id: no such API here.
      assertThatThrownBy(
              () ->
                  t.cp.inTenant(
                      mallory,
                      other,
                      Access.READ,
                      tx -> t.u.authorizers().get(tx, api.id(), "keycloak")))
          .isInstanceOf(ApiFailure.class)
          .extracting(f -> ((ApiFailure) f).kind())
          .isEqualTo(ProblemKind.NOT_FOUND);
      // Naming the victim's authorizer id in an own route: not an authorizer of this API.
      assertThatThrownBy(
              () ->
                  t.cp.inTenant(
                      mallory,
                      other,
                      Access.WRITE,
                      tx ->
                          t.u
                              .routes()
                              .create(
                                  tx,
                                  own.id(),
                                  new RouteInput(
                                      "GET",
                                      "/x",
                                      false,
                                      integration.id(),
                                      "JWT",
                                      keycloak.id(),
                                      null,
                                      null))))
          .isInstanceOf(ApiFailure.class)
          .extracting(f -> ((ApiFailure) f).errors().get(0).pointer())
          .isEqualTo("/authorizerId");
      // Naming the victim's registered function in an own authorizer: refused at deployment.
      t.cp.inTenant(
          mallory,
          other,
          Access.WRITE,
          tx -> t.u.authorizers().put(tx, own.id(), "stolen", token("auth", null)));
      t.cp.inTenant(
          mallory,
          other,
          Access.WRITE,
          tx ->
              t.u
                  .routes()
                  .create(
                      tx,
                      own.id(),
                      new RouteInput(
                          "GET", "/x", false, integration.id(), null, null, "stolen", null)));
      Stage prod =
          t.cp.inTenant(
              mallory,
              other,
              Access.WRITE,
              tx ->
                  t.u
                      .stages()
                      .create(tx, own.id(), new CreateStage("prod", null, null, null, null, null)));
      assertThatThrownBy(
              () ->
                  t.cp.inTenant(
                      mallory,
                      other,
                      Access.WRITE,
                      tx ->
                          t.u
                              .deployments()
                              .create(tx, own.id(), new CreateDeployment(prod.id(), null))))
          .isInstanceOf(ApiFailure.class)
          .satisfies(
              f -> {
                assertThat(((ApiFailure) f).kind()).isEqualTo(ProblemKind.FUNCTIONS_NOT_REGISTERED);
                assertThat(f.getMessage()).contains("auth");
              });
      assertThat(t.cp.outbox(other)).isEmpty();
    }
  }

  @Nested
  class Deploying {
    @Test
    void the_snapshot_carries_the_authorizers_the_routes_authorization_and_the_key_source() {
      Api api = api("pets");
      t.write(
          tx ->
              t.u
                  .apis()
                  .update(tx, api.id(), new UpdateApi("pets", null, "AUTHORIZER", null, null)));
      t.write(
          tx ->
              t.u
                  .functions()
                  .put(tx, "auth:live", new FunctionInput("https://live.example.com", 5000)));
      Authorizer keycloak = put(api, "keycloak", jwt(ISSUER, List.of("pets-api")));
      Authorizer lambda =
          put(
              api,
              "lambda",
              new AuthorizerSpec(
                  "token",
                  null,
                  null,
                  "auth:${stageVariables.alias}",
                  null,
                  8000,
                  60,
                  "^Bearer .+$",
                  null,
                  null));
      Integration integration = mock(api);
      route(
          api,
          "/pets",
          authorized("/pets", integration.id(), "JWT", "keycloak", List.of("pets:read")));
      route(api, "/orders", authorized("/orders", integration.id(), "CUSTOM", "lambda", null));
      route(api, "/open", new RouteInput("GET", "/open", true, integration.id()));
      Stage prod =
          t.write(
              tx ->
                  t.u
                      .stages()
                      .create(
                          tx,
                          api.id(),
                          new CreateStage(
                              "prod", null, Map.of("alias", "live"), null, null, null)));

      t.write(tx -> t.u.deployments().create(tx, api.id(), new CreateDeployment(prod.id(), null)));

      DeploymentSnapshot snapshot =
          DeploymentSnapshot.CODEC.decode(t.cp.outbox(t.tenant).get(0).payload());
      assertThat(snapshot.apiKeySource()).isEqualTo(ApiKeySource.AUTHORIZER);
      AuthorizerConfig jwt = snapshot.authorizer(keycloak.id().toString());
      assertThat(jwt.type()).isEqualTo(AuthorizerType.JWT);
      assertThat(jwt.name()).isEqualTo("keycloak");
      assertThat(jwt.jwt()).isEqualTo(new JwtConfiguration(ISSUER, List.of("pets-api")));
      assertThat(jwt.identitySources()).containsExactly("$request.header.Authorization");
      AuthorizerConfig token = snapshot.authorizer(lambda.id().toString());
      assertThat(token.type()).isEqualTo(AuthorizerType.TOKEN);
      assertThat(token.function().name()).isEqualTo("auth:live");
      assertThat(token.function().invokeUrl()).isEqualTo("https://live.example.com");
      assertThat(token.timeoutMillis()).isEqualTo(5000);
      assertThat(token.resultTtlSeconds()).isEqualTo(60);
      assertThat(token.identityValidationExpression()).isEqualTo("^Bearer .+$");
      assertThat(snapshot.routes())
          .extracting(r -> r.resourcePath(), r -> r.authorization())
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("/open", null),
              org.assertj.core.groups.Tuple.tuple(
                  "/orders", new RouteAuthorization(lambda.id().toString(), List.of())),
              org.assertj.core.groups.Tuple.tuple(
                  "/pets", new RouteAuthorization(keycloak.id().toString(), List.of("pets:read"))));
    }

    @Test
    void an_authorizer_naming_an_unregistered_function_refuses_the_deployment_naming_it() {
      Api api = api("pets");
      put(api, "lambda", token("missing", null));
      Integration integration = mock(api);
      route(api, "/pets", authorized("/pets", integration.id(), null, "lambda", null));
      Stage prod =
          t.write(
              tx ->
                  t.u
                      .stages()
                      .create(tx, api.id(), new CreateStage("prod", null, null, null, null, null)));

      ApiFailure failure =
          t.failure(
              tx -> t.u.deployments().create(tx, api.id(), new CreateDeployment(prod.id(), null)));

      assertThat(failure.kind()).isEqualTo(ProblemKind.FUNCTIONS_NOT_REGISTERED);
      assertThat(failure.errors())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.pointer()).isEqualTo("/functions/missing");
                assertThat(e.message()).contains("authorizer lambda");
              });
      assertThat(t.cp.outbox(t.tenant)).isEmpty();
    }
  }

  @Nested
  class OpenApi {
    static final String DOCUMENT =
        """
        {
          "openapi": "3.0.1",
          "info": {"title": "pets", "version": "1"},
          "paths": {
            "/pets": {
              "get": {
                "security": [{"api_key": []}, {"lambda-token": []}],
                "x-amazon-apigateway-integration": {"type": "mock"}
              },
              "post": {
                "security": [{"keycloak": ["pets:write"]}],
                "x-amazon-apigateway-integration": {"type": "mock"}
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
                  "authorizerResultTtlInSeconds": 60
                }
              },
              "keycloak": {
                "type": "oauth2", "flows": {},
                "x-amazon-apigateway-authorizer": {
                  "type": "jwt", "identitySource": "$request.header.Authorization",
                  "jwtConfiguration": {"issuer": "https://id.example.com/realms/acme",
                                       "audience": ["pets-api"]}
                }
              }
            }
          },
          "x-amazon-apigateway-api-key-source": "AUTHORIZER"
        }
        """;

    private dev.turnpike.controlplane.openapi.OpenApiImport.Output importing(
        Api api, String document, dev.turnpike.controlplane.openapi.OpenApiImport.Mode mode) {
      return t.write(
          tx ->
              t.u
                  .openApiImport()
                  .execute(
                      tx,
                      api.id(),
                      new dev.turnpike.controlplane.openapi.OpenApiImport.Input(
                          document.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                          "application/json",
                          mode)));
    }

    @Test
    void
        an_import_creates_the_authorizers_and_methods_authorization_warning_of_unknown_functions() {
      Api api = api("pets");

      var output =
          importing(api, DOCUMENT, dev.turnpike.controlplane.openapi.OpenApiImport.Mode.OVERWRITE);

      assertThat(output.authorizers())
          .extracting(Authorizer::name)
          .containsExactly("keycloak", "lambda-token");
      Map<String, UUID> ids = new java.util.HashMap<>();
      output.authorizers().forEach(a -> ids.put(a.name(), a.id()));
      assertThat(output.routes())
          .extracting(
              Route::method, Route::authorizationType, Route::authorizerId, Route::apiKeyRequired)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("GET", "CUSTOM", ids.get("lambda-token"), true),
              org.assertj.core.groups.Tuple.tuple("POST", "JWT", ids.get("keycloak"), false));
      assertThat(output.warnings())
          .extracting(FieldError::pointer)
          .contains(
              "/components/securitySchemes/lambda-token/x-amazon-apigateway-authorizer"
                  + "/authorizerUri");
      assertThat(t.write(tx -> t.u.apis().get(tx, api.id())).apiKeySource())
          .isEqualTo("AUTHORIZER");
    }

    @Test
    void import_of_the_export_round_trips_and_an_overwrite_without_schemes_removes_them() {
      Api api = api("pets");
      var first =
          importing(api, DOCUMENT, dev.turnpike.controlplane.openapi.OpenApiImport.Mode.OVERWRITE);
      String exported = t.write(tx -> t.u.openApiExport().execute(tx, api.id())).toString();

      var again =
          importing(api, exported, dev.turnpike.controlplane.openapi.OpenApiImport.Mode.OVERWRITE);

      assertThat(again.authorizers())
          .extracting(Authorizer::id, a -> a.spec())
          .containsExactlyElementsOf(
              first.authorizers().stream()
                  .map(a -> org.assertj.core.groups.Tuple.tuple(a.id(), a.spec()))
                  .toList());
      assertThat(again.routes())
          .extracting(Route::method, Route::authorizerId, Route::authorizationScopes)
          .containsExactlyElementsOf(
              first.routes().stream()
                  .map(
                      r ->
                          org.assertj.core.groups.Tuple.tuple(
                              r.method(), r.authorizerId(), r.authorizationScopes()))
                  .toList());

      var plain =
          importing(
              api,
              "{\"openapi\": \"3.0.1\", \"paths\": {\"/a\": {\"get\":"
                  + " {\"x-amazon-apigateway-integration\": {\"type\": \"mock\"}}}}}",
              dev.turnpike.controlplane.openapi.OpenApiImport.Mode.OVERWRITE);

      assertThat(plain.authorizers()).isEmpty();
    }

    @Test
    void a_merge_cannot_change_the_kind_of_an_authorizer_that_kept_methods_use() {
      Api api = api("pets");
      importing(api, DOCUMENT, dev.turnpike.controlplane.openapi.OpenApiImport.Mode.OVERWRITE);
      String changed =
          """
          {"openapi": "3.0.1", "paths": {"/other": {"get": {
             "security": [{"keycloak": []}],
             "x-amazon-apigateway-integration": {"type": "mock"}}}},
           "components": {"securitySchemes": {"keycloak": {
             "type": "apiKey", "name": "Authorization", "in": "header",
             "x-amazon-apigateway-authorizer": {"type": "token",
               "authorizerUri": "https://auth.example.com/check"}}}}}
          """;

      ApiFailure failure =
          t.failure(
              tx ->
                  t.u
                      .openApiImport()
                      .execute(
                          tx,
                          api.id(),
                          new dev.turnpike.controlplane.openapi.OpenApiImport.Input(
                              changed.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                              "application/json",
                              dev.turnpike.controlplane.openapi.OpenApiImport.Mode.MERGE)));

      assertThat(failure.errors())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.pointer())
                    .isEqualTo(
                        "/components/securitySchemes/keycloak/x-amazon-apigateway-authorizer/type");
                assertThat(e.message()).contains("POST /pets");
              });
      assertThat(t.write(tx -> t.u.authorizers().get(tx, api.id(), "keycloak")).spec().type())
          .isEqualTo("jwt");
    }
  }
}
