package dev.turnpike.gateway.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.function.FunctionHost;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * TOKEN and REQUEST authorizers against function hosts that run Lambda handlers written with AWS's
 * own event and response classes, through a real listener.
 */
class LambdaAuthorizerTest {
  static final String GET_PET_ARN =
      AuthorizerRig.ARN_PREFIX + AuthorizerRig.API_ID + "/prod/GET/pets/7";
  static final String EXPLICIT =
      "User is not authorized to access this resource with an explicit deny";
  static final String IMPLICIT = "User is not authorized to access this resource";

  final List<AutoCloseable> closing = new ArrayList<>();

  /** Released when a test ends, so a function left waiting finishes. */
  final CountDownLatch testOver = new CountDownLatch(1);

  @AfterEach
  void stop() throws Exception {
    testOver.countDown();
    for (AutoCloseable closeable : closing.reversed()) {
      closeable.close();
    }
  }

  AuthorizerRig rig() {
    return rig(AuthorizerRig.trialPolicy(), LambdaAuthorizers.Limits.DEFAULT);
  }

  AuthorizerRig rig(EgressPolicy policy, LambdaAuthorizers.Limits limits) {
    AuthorizerRig rig = new AuthorizerRig(policy, limits);
    closing.add(rig);
    return rig;
  }

  <I, O> FunctionHost host(Class<I> in, Class<O> out, RequestHandler<I, O> handler)
      throws Exception {
    FunctionHost host = FunctionHost.serving(in, out, handler);
    closing.add(host);
    return host;
  }

  FunctionHost answering(FunctionHost.Endpoint endpoint) throws Exception {
    FunctionHost host = FunctionHost.answering(endpoint);
    closing.add(host);
    return host;
  }

  static FunctionTarget function(FunctionHost host) {
    return new FunctionTarget("authorizer", host.invokeUrl(), 0, null);
  }

  static AuthorizerConfig token(FunctionHost host, int ttlSeconds, String expression) {
    return new AuthorizerConfig(
        "auth-token",
        "tokens",
        AuthorizerType.TOKEN,
        List.of("method.request.header.Authorization"),
        null,
        function(host),
        null,
        2_000,
        ttlSeconds,
        expression,
        null,
        false);
  }

  static AuthorizerConfig request(
      FunctionHost host, String version, boolean simple, int ttlSeconds, String... sources) {
    return new AuthorizerConfig(
        "auth-request",
        "requests",
        AuthorizerType.REQUEST,
        List.of(sources),
        null,
        function(host),
        null,
        2_000,
        ttlSeconds,
        null,
        version,
        simple);
  }

  static IamPolicyResponseV1 policy(String principal, String effect, String... resources) {
    return new IamPolicyResponseV1(
        principal,
        new IamPolicyResponseV1.PolicyDocument(
            IamPolicyResponseV1.VERSION_2012_10_17,
            List.of(
                new IamPolicyResponseV1.Statement(
                    IamPolicyResponseV1.EXECUTE_API_INVOKE, effect, List.of(resources), null))),
        Map.of(),
        null);
  }

  static IamPolicyResponseV1 allowAll(String principal) {
    return policy(principal, IamPolicyResponseV1.ALLOW, "*");
  }

  FunctionHost allowingEveryone() throws Exception {
    return host(
        APIGatewayCustomAuthorizerEvent.class,
        IamPolicyResponseV1.class,
        (event, context) -> allowAll("user"));
  }

  static Map<String, String> bearer(String token) {
    return Map.of("Authorization", token);
  }

  @Nested
  class Token_authorizer {
    @Test
    void sends_the_token_event_and_passes_principal_context_and_usage_key_on() throws Exception {
      AtomicReference<APIGatewayCustomAuthorizerEvent> seen = new AtomicReference<>();
      FunctionHost fn =
          host(
              APIGatewayCustomAuthorizerEvent.class,
              IamPolicyResponseV1.class,
              (event, context) -> {
                seen.set(event);
                IamPolicyResponseV1 answer =
                    policy("user-7", IamPolicyResponseV1.ALLOW, event.getMethodArn());
                answer.setContext(Map.of("tier", "gold", "level", 3, "admin", true));
                answer.setUsageIdentifierKey("tpk_usage000");
                return answer;
              });
      AuthorizerRig rig = rig();
      rig.use(token(fn, 300, null));

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", bearer("Bearer good"));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body().getString("principalId")).isEqualTo("user-7");
      JsonObject context = response.body().getJsonObject("context");
      assertThat(context.getValue("tier")).isEqualTo("gold");
      assertThat(context.getValue("level")).isEqualTo(3);
      assertThat(context.getValue("admin")).isEqualTo(true);
      assertThat(response.body().getString("usageIdentifierKey")).isEqualTo("tpk_usage000");
      assertThat(seen.get().getType()).isEqualTo("TOKEN");
      assertThat(seen.get().getAuthorizationToken()).isEqualTo("Bearer good");
      assertThat(seen.get().getMethodArn()).isEqualTo(GET_PET_ARN);
      assertThat(new JsonObject(fn.events().getFirst()).fieldNames())
          .containsExactlyInAnyOrder("type", "authorizationToken", "methodArn");
    }

    @Test
    void a_missing_or_empty_token_is_401_without_a_call() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(token(fn, 0, null));

      AuthorizerRig.Response missing = rig.call("GET", "/pets/7", Map.of());
      AuthorizerRig.Response empty = rig.call("GET", "/pets/7", bearer(""));

      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.failure()).isEqualTo("UNAUTHORIZED");
      assertThat(missing.body().getString("message")).isEqualTo("Unauthorized");
      assertThat(empty.status()).isEqualTo(401);
      assertThat(fn.events()).isEmpty();
    }

    @Test
    void a_token_the_validation_expression_refuses_is_401_without_a_call() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(token(fn, 0, "Bearer [A-Za-z0-9._-]+"));

      assertThat(rig.call("GET", "/pets/7", bearer("Basic dXNlcjpwdw==")).status()).isEqualTo(401);
      assertThat(rig.call("GET", "/pets/7", bearer("xBearer abc")).status()).isEqualTo(401);
      assertThat(fn.events()).isEmpty();
      assertThat(rig.call("GET", "/pets/7", bearer("Bearer abc.def")).status()).isEqualTo(200);
      assertThat(fn.events()).hasSize(1);
    }

    @Test
    void a_tenants_backtracking_expression_cannot_stall_the_event_loop() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(token(fn, 0, "(.*a){20}"));
      String attack = "a".repeat(2000) + "!";

      AuthorizerRig.Response response =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10), () -> rig.call("GET", "/pets/7", bearer(attack)));

      // Unbounded, this match would outlast the test by ages; the budget ends it after 17,008
      // reads.
      assertThat(response.status()).isEqualTo(401);
      assertThat(fn.events()).isEmpty();
    }

    @Test
    void a_function_failing_with_unauthorized_is_401() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayCustomAuthorizerEvent.class,
              IamPolicyResponseV1.class,
              (event, context) -> {
                throw new IllegalStateException("Unauthorized");
              });
      AuthorizerRig rig = rig();
      rig.use(token(fn, 300, null));

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", bearer("Bearer old"));

      assertThat(response.status()).isEqualTo(401);
      assertThat(response.failure()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void a_plain_endpoint_taking_the_same_json_decides_as_a_function_does() throws Exception {
      FunctionHost endpoint = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(
          new AuthorizerConfig(
              "auth-plain",
              "plain",
              AuthorizerType.TOKEN,
              List.of(),
              null,
              null,
              endpoint.invokeUrl() + FunctionHost.INVOKE_PATH,
              2_000,
              0,
              null,
              null,
              false));

      assertThat(rig.call("GET", "/pets/7", bearer("Bearer x")).status()).isEqualTo(200);
      assertThat(endpoint.events()).hasSize(1);
    }
  }

  @Nested
  class Policies {
    AuthorizerRig.Response callWith(IamPolicyResponseV1 answer, String method) throws Exception {
      FunctionHost fn =
          host(
              APIGatewayCustomAuthorizerEvent.class,
              IamPolicyResponseV1.class,
              (event, context) -> answer);
      AuthorizerRig rig = rig();
      rig.use(token(fn, 0, null));
      return rig.call(method, "/pets/7", bearer("Bearer t"));
    }

    @Test
    void an_explicit_deny_is_403_with_api_gateways_message() throws Exception {
      AuthorizerRig.Response response =
          callWith(policy("user", IamPolicyResponseV1.DENY, GET_PET_ARN), "GET");

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.failure()).isEqualTo("ACCESS_DENIED");
      assertThat(response.body().getString("message")).isEqualTo(EXPLICIT);
    }

    @Test
    void a_policy_that_does_not_name_the_method_is_an_implicit_deny() throws Exception {
      AuthorizerRig.Response response =
          callWith(
              policy(
                  "user",
                  IamPolicyResponseV1.ALLOW,
                  AuthorizerRig.ARN_PREFIX + AuthorizerRig.API_ID + "/prod/POST/pets/*"),
              "GET");

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.body().getString("message")).isEqualTo(IMPLICIT);
    }

    @Test
    void wildcards_in_resources_reach_the_methods_they_cover() throws Exception {
      String getAnyPet = AuthorizerRig.ARN_PREFIX + AuthorizerRig.API_ID + "/*/GET/pets/*";
      assertThat(callWith(policy("user", IamPolicyResponseV1.ALLOW, getAnyPet), "GET").status())
          .isEqualTo(200);
      assertThat(callWith(policy("user", IamPolicyResponseV1.ALLOW, getAnyPet), "DELETE").status())
          .isEqualTo(403);
    }

    @Test
    void an_object_in_context_is_an_authorizer_failure() throws Exception {
      IamPolicyResponseV1 answer = allowAll("user");
      answer.setContext(Map.of("roles", Map.of("admin", true)));

      AuthorizerRig.Response response = callWith(answer, "GET");

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.failure()).isEqualTo("AUTHORIZER_FAILURE");
    }
  }

  @Nested
  class Request_authorizer_rest {
    @Test
    void sends_the_rest_request_event_as_aws_classes_read_it() throws Exception {
      AtomicReference<APIGatewayCustomAuthorizerEvent> seen = new AtomicReference<>();
      FunctionHost fn =
          host(
              APIGatewayCustomAuthorizerEvent.class,
              IamPolicyResponseV1.class,
              (event, context) -> {
                seen.set(event);
                return allowAll("user-" + event.getHeaders().get("X-User"));
              });
      AuthorizerRig rig = rig();
      rig.use(
          request(
              fn,
              "1.0",
              false,
              300,
              "method.request.header.X-User",
              "method.request.querystring.tenant",
              "stageVariables.env"));

      AuthorizerRig.Response response =
          rig.call(
              "GET",
              "/pets/7?tenant=t0&tenant=t1",
              Map.of("X-User", "alice", "X-Forwarded-For", "10.9.9.9", "User-Agent", "probe/1"));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body().getString("principalId")).isEqualTo("user-alice");
      APIGatewayCustomAuthorizerEvent event = seen.get();
      assertThat(event.getType()).isEqualTo("REQUEST");
      assertThat(event.getMethodArn()).isEqualTo(GET_PET_ARN);
      assertThat(event.getResource()).isEqualTo("/pets/{petId}");
      assertThat(event.getPath()).isEqualTo("/pets/7");
      assertThat(event.getHttpMethod()).isEqualTo("GET");
      assertThat(event.getHeaders())
          .containsEntry("X-User", "alice")
          .containsEntry("X-Forwarded-For", "203.0.113.9");
      assertThat(event.getQueryStringParameters()).containsEntry("tenant", "t1");
      assertThat(event.getPathParameters()).containsExactlyEntriesOf(Map.of("petId", "7"));
      assertThat(event.getStageVariables()).containsExactlyEntriesOf(Map.of("env", "test"));
      APIGatewayCustomAuthorizerEvent.RequestContext context = event.getRequestContext();
      assertThat(context.getStage()).isEqualTo("prod");
      assertThat(context.getApiId()).isEqualTo(AuthorizerRig.API_ID);
      assertThat(context.getAccountId()).isEqualTo("123456789012");
      assertThat(context.getResourcePath()).isEqualTo("/pets/{petId}");
      assertThat(context.getHttpMethod()).isEqualTo("GET");
      assertThat(context.getRequestId()).startsWith("req-");
      assertThat(context.getIdentity().getSourceIp()).isEqualTo("203.0.113.9");
      JsonObject raw = new JsonObject(fn.events().getFirst());
      assertThat(raw.getJsonObject("multiValueQueryStringParameters").getJsonArray("tenant"))
          .containsExactly("t0", "t1");
      assertThat(raw.getJsonObject("multiValueHeaders").getJsonArray("X-User"))
          .containsExactly("alice");
    }

    @Test
    void any_missing_identity_source_is_401_without_a_call() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(
          request(
              fn,
              "1.0",
              false,
              300,
              "method.request.header.X-User",
              "method.request.querystring.tenant",
              "stageVariables.env"));

      assertThat(rig.call("GET", "/pets/7?tenant=t1", Map.of()).status()).isEqualTo(401);
      assertThat(rig.call("GET", "/pets/7", Map.of("X-User", "alice")).status()).isEqualTo(401);
      assertThat(rig.call("GET", "/pets/7?tenant=", Map.of("X-User", "alice")).status())
          .isEqualTo(401);
      assertThat(fn.events()).isEmpty();
    }

    @Test
    void a_multi_value_source_keys_the_cache_by_every_value() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(request(fn, "1.0", false, 300, "method.request.multivaluequerystring.t"));

      assertThat(rig.call("GET", "/pets/7?t=1&t=2", Map.of()).status()).isEqualTo(200);
      assertThat(rig.call("GET", "/pets/7?t=2&t=1", Map.of()).status()).isEqualTo(200);
      assertThat(rig.call("GET", "/pets/7?t=1&t=2", Map.of()).status()).isEqualTo(200);
      assertThat(rig.call("GET", "/pets/7", Map.of()).status()).isEqualTo(401);

      assertThat(fn.events()).hasSize(2);
    }

    @Test
    void a_stage_variable_the_stage_lacks_is_a_missing_identity() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(request(fn, "1.0", false, 0, "stageVariables.missing"));

      assertThat(rig.call("GET", "/pets/7", Map.of()).status()).isEqualTo(401);
      assertThat(fn.events()).isEmpty();
    }
  }

  @Nested
  class Request_authorizer_http_api {
    @Test
    void sends_the_http_api_event_and_takes_a_simple_response() throws Exception {
      AtomicReference<APIGatewayV2CustomAuthorizerEvent> seen = new AtomicReference<>();
      FunctionHost fn =
          host(
              APIGatewayV2CustomAuthorizerEvent.class,
              SimpleIAMPolicyResponse.class,
              (event, context) -> {
                seen.set(event);
                return new SimpleIAMPolicyResponse(true, Map.of("tier", "gold"));
              });
      AuthorizerRig rig = rig();
      rig.use(request(fn, "2.0", true, 0, "$request.header.X-User", "$request.querystring.tenant"));

      AuthorizerRig.Response response =
          rig.call(
              "GET",
              "/pets/7?tenant=t1&x=1",
              Map.of("X-User", "alice", "Cookie", "a=1; b=2", "User-Agent", "probe/1"));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body().getJsonObject("context").getValue("tier")).isEqualTo("gold");
      APIGatewayV2CustomAuthorizerEvent event = seen.get();
      assertThat(event.getVersion()).isEqualTo("2.0");
      assertThat(event.getType()).isEqualTo("REQUEST");
      assertThat(event.getRouteArn()).isEqualTo(GET_PET_ARN);
      assertThat(event.getIdentitySource()).containsExactly("alice", "t1");
      assertThat(event.getRouteKey()).isEqualTo("GET /pets/{petId}");
      assertThat(event.getRawPath()).isEqualTo("/pets/7");
      assertThat(event.getRawQueryString()).isEqualTo("tenant=t1&x=1");
      assertThat(event.getCookies()).containsExactly("a=1", "b=2");
      assertThat(event.getHeaders())
          .containsEntry("x-user", "alice")
          .containsEntry("user-agent", "probe/1")
          .doesNotContainKey("cookie");
      assertThat(event.getQueryStringParameters()).containsEntry("tenant", "t1");
      assertThat(event.getPathParameters()).containsEntry("petId", "7");
      assertThat(event.getStageVariables()).containsEntry("env", "test");
      APIGatewayV2CustomAuthorizerEvent.RequestContext context = event.getRequestContext();
      assertThat(context.getApiId()).isEqualTo(AuthorizerRig.API_ID);
      assertThat(context.getStage()).isEqualTo("prod");
      assertThat(context.getRouteKey()).isEqualTo("GET /pets/{petId}");
      assertThat(context.getHttp().getMethod()).isEqualTo("GET");
      assertThat(context.getHttp().getSourceIp()).isEqualTo("203.0.113.9");
      assertThat(context.getHttp().getUserAgent()).isEqualTo("probe/1");
      assertThat(context.getTime().getMillis()).isEqualTo(rig.clock.millis());
      assertThat(context.getTimeEpoch().toEpochMilli()).isEqualTo(rig.clock.millis());
    }

    @Test
    void a_simple_no_is_403_forbidden() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayV2CustomAuthorizerEvent.class,
              SimpleIAMPolicyResponse.class,
              (event, context) -> new SimpleIAMPolicyResponse(false, Map.of()));
      AuthorizerRig rig = rig();
      rig.use(request(fn, "2.0", true, 0, "$request.header.X-User"));

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", Map.of("X-User", "bob"));

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.body().getString("message")).isEqualTo("Forbidden");
    }

    @Test
    void an_iam_policy_answer_decides_with_payload_2_0_too() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayV2CustomAuthorizerEvent.class,
              IamPolicyResponse.class,
              (event, context) ->
                  new IamPolicyResponse(
                      "carol",
                      new IamPolicyResponse.PolicyDocument(
                          IamPolicyResponse.VERSION_2012_10_17,
                          List.of(IamPolicyResponse.denyStatement(event.getRouteArn()))),
                      Map.of()));
      AuthorizerRig rig = rig();
      rig.use(request(fn, "2.0", false, 0, "$request.header.X-User"));

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", Map.of("X-User", "carol"));

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.failure()).isEqualTo("ACCESS_DENIED");
    }
  }

  @Nested
  class Failures_never_let_the_call_through {
    AuthorizerRig.Response callAnswering(FunctionHost.Answer answer) throws Exception {
      FunctionHost fn = answering(event -> answer);
      AuthorizerRig rig = rig();
      rig.use(token(fn, 300, null));
      return rig.call("GET", "/pets/7", bearer("Bearer t"));
    }

    @Test
    void a_malformed_answer_is_500() throws Exception {
      for (String body :
          new String[] {
            "not json",
            "{\"principalId\":\"u\"}",
            "{\"principalId\":\"u\",\"policyDocument\":{\"Statement\":[{\"Effect\":\"Perhaps\","
                + "\"Action\":\"*\",\"Resource\":\"*\"}]}}"
          }) {
        AuthorizerRig.Response response = callAnswering(FunctionHost.Answer.ok(body));
        assertThat(response.status()).as(body).isEqualTo(500);
        assertThat(response.failure()).isEqualTo("AUTHORIZER_FAILURE");
      }
    }

    @Test
    void a_function_error_is_500() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayCustomAuthorizerEvent.class,
              IamPolicyResponseV1.class,
              (event, context) -> {
                throw new IllegalStateException("database down");
              });
      AuthorizerRig rig = rig();
      rig.use(token(fn, 300, null));

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", bearer("Bearer t"));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.failure()).isEqualTo("AUTHORIZER_FAILURE");
    }

    @Test
    void a_non_2xx_answer_is_500_even_with_an_allow_in_it() throws Exception {
      String allow =
          "{\"principalId\":\"u\",\"policyDocument\":{\"Statement\":[{\"Effect\":\"Allow\","
              + "\"Action\":\"*\",\"Resource\":\"*\"}]}}";
      AuthorizerRig.Response response =
          callAnswering(
              new FunctionHost.Answer(502, Map.of(), allow.getBytes(StandardCharsets.UTF_8)));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.failure()).isEqualTo("AUTHORIZER_FAILURE");
    }

    @Test
    void an_answer_past_the_size_bound_is_500() throws Exception {
      String padded =
          "{\"principalId\":\""
              + "u".repeat(LambdaAuthorizers.Limits.DEFAULT.maxAnswerBytes())
              + "\",\"policyDocument\":{\"Statement\":[{\"Effect\":\"Allow\","
              + "\"Action\":\"*\",\"Resource\":\"*\"}]}}";

      AuthorizerRig.Response response = callAnswering(FunctionHost.Answer.ok(padded));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.failure()).isEqualTo("AUTHORIZER_FAILURE");
    }

    @Test
    void an_authorizer_slower_than_its_timeout_is_500_at_the_timeout() throws Exception {
      FunctionHost fn =
          answering(
              event -> {
                testOver.await(30, TimeUnit.SECONDS);
                return FunctionHost.Answer.ok("{}");
              });
      AuthorizerRig rig = rig();
      rig.use(
          new AuthorizerConfig(
              "auth-slow",
              "slow",
              AuthorizerType.TOKEN,
              List.of(),
              null,
              function(fn),
              null,
              300,
              300,
              null,
              null,
              false));
      long started = System.nanoTime();

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", bearer("Bearer t"));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.failure()).isEqualTo("AUTHORIZER_FAILURE");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void an_unreachable_authorizer_is_500() throws Exception {
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0)) {
        closedPort = socket.getLocalPort();
      }
      AuthorizerRig rig = rig();
      rig.use(
          new AuthorizerConfig(
              "auth-gone",
              "gone",
              AuthorizerType.TOKEN,
              List.of(),
              null,
              new FunctionTarget("gone", "http://127.0.0.1:" + closedPort, 0, null),
              null,
              2_000,
              300,
              null,
              null,
              false));

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", bearer("Bearer t"));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.failure()).isEqualTo("AUTHORIZER_FAILURE");
    }

    @Test
    void an_unexpected_error_is_still_an_authorizer_failure() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(token(fn, 300, null));
      rig.arnRewrite = arn -> null;

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", bearer("Bearer t"));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.failure()).isEqualTo("AUTHORIZER_FAILURE");
    }

    @Test
    void a_failure_is_not_cached() throws Exception {
      AtomicInteger calls = new AtomicInteger();
      FunctionHost fn =
          answering(
              event ->
                  FunctionHost.Answer.ok(
                      calls.incrementAndGet() == 1
                          ? "oops"
                          : "{\"principalId\":\"u\",\"policyDocument\":{\"Statement\":[{"
                              + "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}}"));
      AuthorizerRig rig = rig();
      rig.use(token(fn, 300, null));

      assertThat(rig.call("GET", "/pets/7", bearer("Bearer t")).status()).isEqualTo(500);
      assertThat(rig.call("GET", "/pets/7", bearer("Bearer t")).status()).isEqualTo(200);
      assertThat(fn.events()).hasSize(2);
    }
  }

  @Nested
  class Cache {
    @Test
    void one_call_answers_many_requests_with_the_same_token() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      LambdaAuthorizer authorizer = rig.use(token(fn, 300, null));

      for (int i = 0; i < 5; i++) {
        assertThat(rig.call("GET", "/pets/7", bearer("Bearer same")).status()).isEqualTo(200);
      }

      assertThat(fn.events()).hasSize(1);
      assertThat(authorizer.invocations()).isEqualTo(1);
      assertThat(authorizer.cacheHits()).isEqualTo(4);
      assertThat(authorizer.cacheMisses()).isEqualTo(1);
      String[] tags = {
        "authorizer", "auth-token", "tenant", "acme", "api", "pets", "stage", "prod"
      };
      assertThat(rig.counter("turnpike.gateway.authorizer.cache", with(tags, "result", "hit")))
          .isEqualTo(4);
      assertThat(rig.counter("turnpike.gateway.authorizer.cache", with(tags, "result", "miss")))
          .isEqualTo(1);
      assertThat(rig.counter("turnpike.gateway.authorizer.invocations", tags)).isEqualTo(1);
    }

    static String[] with(String[] tags, String key, String value) {
      String[] all = java.util.Arrays.copyOf(tags, tags.length + 2);
      all[tags.length] = key;
      all[tags.length + 1] = value;
      return all;
    }

    @Test
    void each_token_is_asked_about_once() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(token(fn, 300, null));

      rig.call("GET", "/pets/7", bearer("Bearer one"));
      rig.call("GET", "/pets/7", bearer("Bearer two"));
      rig.call("GET", "/pets/7", bearer("Bearer one"));

      assertThat(fn.events()).hasSize(2);
    }

    @Test
    void an_answer_expires_after_its_ttl() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(token(fn, 300, null));

      rig.call("GET", "/pets/7", bearer("Bearer t"));
      rig.clock.advance(Duration.ofSeconds(299));
      rig.call("GET", "/pets/7", bearer("Bearer t"));
      assertThat(fn.events()).hasSize(1);
      rig.clock.advance(Duration.ofSeconds(1));
      rig.call("GET", "/pets/7", bearer("Bearer t"));
      assertThat(fn.events()).hasSize(2);
    }

    @Test
    void a_deny_is_cached_as_an_allow_is() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayCustomAuthorizerEvent.class,
              IamPolicyResponseV1.class,
              (event, context) -> policy("mallory", IamPolicyResponseV1.DENY, "*"));
      AuthorizerRig rig = rig();
      rig.use(token(fn, 300, null));

      for (int i = 0; i < 3; i++) {
        AuthorizerRig.Response response = rig.call("GET", "/pets/7", bearer("Bearer bad"));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body().getString("message")).isEqualTo(EXPLICIT);
      }
      assertThat(fn.events()).hasSize(1);
    }

    @Test
    void a_cached_policy_is_judged_again_for_each_method() throws Exception {
      String getPets = AuthorizerRig.ARN_PREFIX + AuthorizerRig.API_ID + "/prod/GET/pets/*";
      FunctionHost fn =
          host(
              APIGatewayCustomAuthorizerEvent.class,
              IamPolicyResponseV1.class,
              (event, context) -> policy("user", IamPolicyResponseV1.ALLOW, getPets));
      AuthorizerRig rig = rig();
      rig.use(token(fn, 300, null));

      assertThat(rig.call("GET", "/pets/7", bearer("Bearer t")).status()).isEqualTo(200);
      AuthorizerRig.Response delete = rig.call("DELETE", "/pets/7", bearer("Bearer t"));
      assertThat(delete.status()).isEqualTo(403);
      assertThat(delete.body().getString("message")).isEqualTo(IMPLICIT);
      assertThat(rig.call("GET", "/pets/8", bearer("Bearer t")).status()).isEqualTo(200);
      assertThat(fn.events()).hasSize(1);
    }

    @Test
    void a_ttl_of_zero_asks_every_time() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(token(fn, 0, null));

      for (int i = 0; i < 3; i++) {
        rig.call("GET", "/pets/7", bearer("Bearer t"));
      }

      assertThat(fn.events()).hasSize(3);
    }

    @Test
    void a_request_authorizer_is_cached_by_all_its_identity_values() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      rig.use(
          request(
              fn,
              "1.0",
              false,
              300,
              "method.request.header.X-User",
              "method.request.querystring.t"));

      rig.call("GET", "/pets/7?t=1", Map.of("X-User", "alice"));
      rig.call("GET", "/pets/8?t=1", Map.of("X-User", "alice"));
      rig.call("GET", "/pets/7?t=2", Map.of("X-User", "alice"));
      rig.call("GET", "/pets/7?t=1", Map.of("X-User", "bob"));

      assertThat(fn.events()).hasSize(3);
    }

    @Test
    void the_cache_keeps_a_bounded_number_of_answers_dropping_the_oldest() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig =
          rig(AuthorizerRig.trialPolicy(), new LambdaAuthorizers.Limits(2, 1 << 20, 64 * 1024));
      rig.use(token(fn, 300, null));

      for (String token : new String[] {"a", "b", "c", "a"}) {
        rig.call("GET", "/pets/7", bearer(token));
      }
      assertThat(fn.events()).hasSize(4);
      rig.call("GET", "/pets/7", bearer("c"));
      assertThat(fn.events()).hasSize(4);
      rig.call("GET", "/pets/7", bearer("b"));
      assertThat(fn.events()).hasSize(5);
    }

    @Test
    void identical_misses_in_flight_share_one_call_and_each_continues_on_its_own_loop()
        throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      FunctionHost fn =
          answering(
              event -> {
                release.await(30, TimeUnit.SECONDS);
                return FunctionHost.Answer.ok(
                    "{\"principalId\":\"u\",\"policyDocument\":{\"Statement\":[{"
                        + "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}}");
              });
      AuthorizerRig rig = rig();
      LambdaAuthorizer authorizer = rig.use(token(fn, 300, null));

      int otherLoop = rig.secondListener();

      List<CompletableFuture<AuthorizerRig.Response>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(rig.async("GET", "/pets/7", bearer("Bearer same")));
        calls.add(rig.async(otherLoop, "GET", "/pets/7", bearer("Bearer same")));
      }
      Await.until(
          Duration.ofSeconds(10), () -> authorizer.cacheMisses() == 6, "six misses waiting");
      release.countDown();

      for (CompletableFuture<AuthorizerRig.Response> call : calls) {
        assertThat(call.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
      assertThat(fn.events()).hasSize(1);
      assertThat(authorizer.invocations()).isEqualTo(1);
      assertThat(rig.loops.get(rig.port())).isNotEqualTo(rig.loops.get(otherLoop));
    }
  }

  @Nested
  class Egress_policy {
    @Test
    void a_loopback_authorizer_is_refused_under_the_strict_policy() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig(EgressPolicy.strict(), LambdaAuthorizers.Limits.DEFAULT);
      rig.use(token(fn, 300, null));

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", bearer("Bearer t"));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.failure()).isEqualTo("AUTHORIZER_CONFIGURATION_ERROR");
      assertThat(fn.events()).isEmpty();
    }

    @Test
    void a_name_resolving_to_a_private_address_is_refused_at_connect_time() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig(EgressPolicy.strict(), LambdaAuthorizers.Limits.DEFAULT);
      rig.use(
          new AuthorizerConfig(
              "auth-named",
              "named",
              AuthorizerType.TOKEN,
              List.of(),
              null,
              null,
              "http://localhost:" + fn.port() + FunctionHost.INVOKE_PATH,
              2_000,
              0,
              null,
              null,
              false));

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", bearer("Bearer t"));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.failure()).isEqualTo("AUTHORIZER_CONFIGURATION_ERROR");
      assertThat(fn.events()).isEmpty();
    }

    @Test
    void the_gateways_own_listener_is_refused_even_where_loopback_is_open() throws Exception {
      AuthorizerRig rig = rig();
      rig.refuseOwnListener();
      rig.use(
          new AuthorizerConfig(
              "auth-self",
              "self",
              AuthorizerType.TOKEN,
              List.of(),
              null,
              null,
              "http://127.0.0.1:" + rig.port() + "/authorize",
              2_000,
              0,
              null,
              null,
              false));

      AuthorizerRig.Response response = rig.call("GET", "/pets/7", bearer("Bearer t"));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.failure()).isEqualTo("AUTHORIZER_CONFIGURATION_ERROR");
      assertThat(rig.served.get()).isEqualTo(1);
    }
  }

  @Nested
  class Configuration_errors {
    @Test
    void configs_the_gateway_cannot_serve_are_refused_with_a_reason() throws Exception {
      FunctionHost fn = allowingEveryone();
      AuthorizerRig rig = rig();
      Object[][] cases = {
        {request(fn, "1.0", true, 0, "method.request.header.A"), "simple responses"},
        {request(fn, "3.0", false, 0, "method.request.header.A"), "payloadFormatVersion"},
        {request(fn, "1.0", false, 300), "identity source"},
        {request(fn, "1.0", false, 0, "method.request.body.x"), "identity source"},
        {request(fn, "1.0", false, 0, "context.authorizer.x"), "context variable"},
        {token(fn, 0, "((a?){50}){50}"), "multiply"},
        {token(fn, 0, "Bearer (unclosed"), "does not compile"},
        {token(fn, 3601, null), "resultTtlSeconds"},
        {
          new AuthorizerConfig(
              "t",
              "t",
              AuthorizerType.TOKEN,
              List.of("method.request.header.A", "method.request.header.B"),
              null,
              function(fn),
              null,
              0,
              0,
              null,
              null,
              false),
          "exactly one header"
        },
        {
          new AuthorizerConfig(
              "t",
              "t",
              AuthorizerType.TOKEN,
              List.of("method.request.querystring.a"),
              null,
              function(fn),
              null,
              0,
              0,
              null,
              null,
              false),
          "exactly one header"
        },
        {
          new AuthorizerConfig(
              "t", "t", AuthorizerType.TOKEN, List.of(), null, null, null, 0, 0, null, null, false),
          "exactly one of"
        },
        {
          new AuthorizerConfig(
              "t",
              "t",
              AuthorizerType.TOKEN,
              List.of(),
              null,
              null,
              "ftp://example.com/x",
              0,
              0,
              null,
              null,
              false),
          "http(s)"
        },
        {
          new AuthorizerConfig(
              "t",
              "t",
              AuthorizerType.JWT,
              List.of(),
              null,
              function(fn),
              null,
              0,
              0,
              null,
              null,
              false),
          "TOKEN or REQUEST"
        },
      };
      for (Object[] refused : cases) {
        assertThatThrownBy(
                () ->
                    rig.authorizers.create(
                        AuthorizerRig.deployment(), (AuthorizerConfig) refused[0]))
            .as(String.valueOf(refused[0]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining((String) refused[1]);
      }
    }
  }
}
