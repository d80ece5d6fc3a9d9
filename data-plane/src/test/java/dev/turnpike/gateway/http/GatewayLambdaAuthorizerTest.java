package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.turnpike.contracts.config.ApiKeySource;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.function.FunctionHost;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes behind a Lambda-style TOKEN authorizer through a real gateway listener: the authorizer is
 * an ordinary Lambda handler in the test kit's function host, answering with AWS's own policy
 * class, and the backend a real HTTP server echoing what reached it.
 */
class GatewayLambdaAuthorizerTest {
  static final String AUTHORIZER = "auth-token";
  static final String KEY = "tpk_lambdaroute00000000000000000000000000000";
  static final String PATH = "/acme/pets/prod/orders/42";
  static final String DENY_MESSAGE =
      "User is not authorized to access this resource with an explicit deny";

  final Vertx servers = Vertx.vertx();
  final List<FunctionHost> hosts = new ArrayList<>();
  GatewayRig gateway;
  TestBackend backend;

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayRig.builder().start();
    backend = TestBackend.start(servers);
  }

  @AfterEach
  void stop() {
    hosts.forEach(FunctionHost::close);
    gateway.close();
    backend.close();
    GatewayRig.await(servers.close());
  }

  /**
   * An authorizer that allows "Bearer good" (with a context and a usage key) and denies the rest.
   */
  FunctionHost authorizerFunction() throws Exception {
    FunctionHost host =
        FunctionHost.serving(
            APIGatewayCustomAuthorizerEvent.class,
            IamPolicyResponseV1.class,
            (event, context) -> {
              if ("Bearer boom".equals(event.getAuthorizationToken())) {
                throw new IllegalStateException("the authorizer's own bug");
              }
              String effect =
                  "Bearer good".equals(event.getAuthorizationToken())
                      ? IamPolicyResponseV1.ALLOW
                      : IamPolicyResponseV1.DENY;
              IamPolicyResponseV1 answer =
                  new IamPolicyResponseV1(
                      "user-7",
                      new IamPolicyResponseV1.PolicyDocument(
                          IamPolicyResponseV1.VERSION_2012_10_17,
                          List.of(
                              new IamPolicyResponseV1.Statement(
                                  IamPolicyResponseV1.EXECUTE_API_INVOKE,
                                  effect,
                                  List.of(event.getMethodArn()),
                                  null))),
                      Map.of("tier", "gold", "level", 3),
                      KEY);
              return answer;
            });
    hosts.add(host);
    return host;
  }

  static AuthorizerConfig token(FunctionHost host) {
    return new AuthorizerConfig(
        AUTHORIZER,
        "tokens",
        AuthorizerType.TOKEN,
        List.of("method.request.header.Authorization"),
        null,
        new FunctionTarget("authorizer", host.invokeUrl(), 0, null),
        null,
        2_000,
        AuthorizerConfig.DEFAULT_RESULT_TTL_SECONDS,
        "^Bearer [a-z]+$",
        null,
        false);
  }

  IntegrationConfig echoingIdentity() {
    return Fixtures.http(
        "GET",
        backend.url() + "/echo",
        Map.of(
            "integration.request.header.x-principal", "context.authorizer.principalId",
            "integration.request.header.x-tier", "context.authorizer.tier"));
  }

  void deploy(FunctionHost host, ApiKeySource keySource, boolean keyRequired) {
    RouteConfig route =
        new RouteConfig(
            "r-orders",
            "GET",
            "/orders/{id}",
            keyRequired,
            echoingIdentity(),
            null,
            new RouteAuthorization(AUTHORIZER, List.of()));
    gateway.load(
        List.of(
            Fixtures.snapshot("prod")
                .deploymentId("dep-1")
                .routes(List.of(route))
                .authorizers(List.of(token(host)))
                .apiKeySource(keySource)
                .build()),
        List.of(Fixtures.key(KEY, "key-1", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of("gold"))),
        List.of(Fixtures.plan("gold", null, null, "prod")));
  }

  GatewayRig.Response get(String authorization) throws Exception {
    return gateway.get(
        PATH, authorization == null ? Map.of() : Map.of("Authorization", authorization));
  }

  List<UsageEvent> usage(int count) {
    Await.until(
        Duration.ofSeconds(10), () -> gateway.events.size() >= count, count + " usage events");
    return List.copyOf(gateway.events);
  }

  @Test
  void an_allowed_caller_reaches_the_backend_with_the_authorizers_principal_and_context()
      throws Exception {
    FunctionHost fn = authorizerFunction();
    deploy(fn, ApiKeySource.HEADER, false);

    GatewayRig.Response response = get("Bearer good");

    assertThat(response.status()).isEqualTo(200);
    JsonObject headers = response.json().getJsonObject("headers");
    assertThat(headers.getString("x-principal")).isEqualTo("user-7");
    assertThat(headers.getString("x-tier")).isEqualTo("gold");
    APIGatewayCustomAuthorizerEvent event =
        new JsonObject(fn.events().getFirst()).mapTo(APIGatewayCustomAuthorizerEvent.class);
    assertThat(event.getType()).isEqualTo("TOKEN");
    assertThat(event.getMethodArn()).endsWith(Fixtures.API_ID + "/prod/GET/orders/42");
    assertThat(usage(1).getFirst().principalId()).isEqualTo("user-7");
  }

  @Test
  void the_answer_is_cached_so_the_authorizer_is_called_once_for_repeated_calls() throws Exception {
    FunctionHost fn = authorizerFunction();
    deploy(fn, ApiKeySource.HEADER, false);

    for (int i = 0; i < 5; i++) {
      assertThat(get("Bearer good").status()).isEqualTo(200);
      assertThat(get("Bearer evil").status()).isEqualTo(403);
    }

    assertThat(fn.events()).hasSize(2);
    assertThat(
            gateway
                .meters
                .get("turnpike.gateway.authorizer.cache")
                .tag("result", "hit")
                .counter()
                .count())
        .isEqualTo(8);
  }

  @Test
  void an_explicit_deny_is_403_and_never_reaches_the_backend() throws Exception {
    deploy(authorizerFunction(), ApiKeySource.HEADER, false);

    GatewayRig.Response response = get("Bearer evil");

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.json().getString("message")).isEqualTo(DENY_MESSAGE);
    assertThat(response.headers().get("x-backend")).isNull();
    assertThat(usage(1).getFirst().outcome()).isEqualTo(Outcome.FORBIDDEN);
  }

  @Test
  void a_missing_or_malformed_token_is_401_without_calling_the_authorizer() throws Exception {
    FunctionHost fn = authorizerFunction();
    deploy(fn, ApiKeySource.HEADER, false);

    assertThat(get(null).status()).isEqualTo(401);
    assertThat(get("Basic Zm9vOmJhcg==").status()).isEqualTo(401);

    assertThat(fn.events()).isEmpty();
  }

  @Test
  void a_failing_authorizer_is_500_and_the_backend_is_not_called() throws Exception {
    deploy(authorizerFunction(), ApiKeySource.HEADER, false);

    GatewayRig.Response response = get("Bearer boom");

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.headers().get("x-amzn-ErrorType"))
        .isEqualTo("AuthorizerConfigurationException");
    assertThat(response.headers().get("x-backend")).isNull();
  }

  @Test
  void with_key_source_authorizer_the_usage_identifier_key_selects_the_plan() throws Exception {
    deploy(authorizerFunction(), ApiKeySource.AUTHORIZER, true);

    GatewayRig.Response response = get("Bearer good");

    assertThat(response.status()).isEqualTo(200);
    UsageEvent event = usage(1).getFirst();
    assertThat(event.keyId()).isEqualTo("key-1");
    assertThat(event.planId()).isEqualTo("gold");
  }
}
