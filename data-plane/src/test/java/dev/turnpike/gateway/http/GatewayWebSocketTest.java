package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import dev.turnpike.contracts.config.WebSocketRouteConfig;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.gateway.websocket.WebSocketSettings;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.function.FunctionHost;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * WebSocket APIs through a real gateway listener on port 0, with Vert.x WebSocket clients and
 * function hosts that read events with AWS's own {@code APIGatewayV2WebSocketEvent}.
 */
class GatewayWebSocketTest {
  static final String KEY = "tpk_websocket00000000000000000000000000000";
  static final String PATH = "/acme/pets/prod";
  static final Duration WAIT = Duration.ofSeconds(10);

  GatewayRig gateway;
  WebSocketClient client;
  final List<FunctionHost> hosts = new ArrayList<>();

  void start(WebSocketSettings settings) throws Exception {
    gateway = GatewayRig.builder().webSockets(settings).start();
    client = gateway.vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() {
    hosts.forEach(FunctionHost::close);
    if (gateway != null) {
      gateway.close();
    }
  }

  FunctionHost function(
      com.amazonaws.services.lambda.runtime.RequestHandler<
              APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>
          handler)
      throws Exception {
    FunctionHost host =
        FunctionHost.serving(
            APIGatewayV2WebSocketEvent.class, APIGatewayV2WebSocketResponse.class, handler);
    hosts.add(host);
    return host;
  }

  static IntegrationConfig fn(FunctionHost host) {
    return IntegrationConfig.awsProxy(
        new FunctionTarget("chat", host.invokeUrl(), 0, FunctionTarget.PAYLOAD_1_0), 5_000);
  }

  static WebSocketRouteConfig route(String key, IntegrationConfig integration, boolean twoWay) {
    return new WebSocketRouteConfig(key, false, null, integration, twoWay);
  }

  void deploy(ThrottleLimit planThrottle, WebSocketRouteConfig... routes) {
    DeploymentSnapshot snapshot =
        Fixtures.deployment("prod", List.of()).toBuilder()
            .webSocket(new WebSocketApiConfig("$request.body.action", List.of(routes)))
            .build();
    gateway.load(
        List.of(snapshot),
        List.of(Fixtures.key(KEY, "key-1", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of("gold"))),
        List.of(Fixtures.plan("gold", planThrottle, null, "prod")));
  }

  static WebSocketRouteConfig keyedConnect(IntegrationConfig integration) {
    return new WebSocketRouteConfig(WebSocketRouteConfig.CONNECT, true, null, integration, false);
  }

  /** A connected client whose received text messages land in {@code inbox}. */
  record Client(WebSocket socket, ConcurrentLinkedQueue<String> inbox) {
    String next() {
      Await.until(WAIT, () -> !inbox.isEmpty(), "a message from the gateway");
      return inbox.poll();
    }
  }

  Future<WebSocket> open(Map<String, String> headers) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port()).setURI(PATH);
    headers.forEach(options::addHeader);
    return client.connect(options);
  }

  Client connect(Map<String, String> headers) {
    ConcurrentLinkedQueue<String> inbox = new ConcurrentLinkedQueue<>();
    WebSocket socket =
        GatewayRig.await(open(headers).onSuccess(ws -> ws.textMessageHandler(inbox::add)));
    return new Client(socket, inbox);
  }

  int refusedStatus(Map<String, String> headers) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    open(headers)
        .onComplete((ws, error) -> failure.set(error == null ? new AssertionError() : error));
    Await.until(WAIT, () -> failure.get() != null, "the handshake's answer");
    assertThat(failure.get()).isInstanceOf(UpgradeRejectedException.class);
    return ((UpgradeRejectedException) failure.get()).getStatus();
  }

  List<UsageEvent> events(String routeKey, int count) {
    Await.until(
        WAIT,
        () -> gateway.events.stream().filter(e -> routeKey.equals(e.routeKey())).count() >= count,
        count + " usage events of " + routeKey);
    return gateway.events.stream().filter(e -> routeKey.equals(e.routeKey())).toList();
  }

  @Nested
  class Routing {
    @Test
    void routes_by_action_answers_two_way_routes_and_falls_back_to_default() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      List<APIGatewayV2WebSocketEvent> seen = new CopyOnWriteArrayList<>();
      FunctionHost echo =
          function(
              (event, context) -> {
                seen.add(event);
                APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
                response.setStatusCode(200);
                response.setBody("echo:" + event.getBody());
                return response;
              });
      deploy(
          null,
          keyedConnect(null),
          route("send", Fixtures.mock(200, "{\"sent\":true}"), true),
          route(WebSocketRouteConfig.DEFAULT, fn(echo), true));

      Client chat = connect(Map.of("x-api-key", KEY));
      chat.socket().writeTextMessage("{\"action\":\"send\",\"text\":\"hi\"}");
      assertThat(chat.next()).isEqualTo("{\"sent\":true}");
      chat.socket().writeTextMessage("{\"action\":\"unknown\"}");
      assertThat(chat.next()).isEqualTo("echo:{\"action\":\"unknown\"}");
      chat.socket().writeTextMessage("not json");
      assertThat(chat.next()).isEqualTo("echo:not json");

      APIGatewayV2WebSocketEvent event = seen.getFirst();
      var context = event.getRequestContext();
      assertThat(context.getRouteKey()).isEqualTo("$default");
      assertThat(context.getEventType()).isEqualTo("MESSAGE");
      assertThat(context.getConnectionId()).isNotBlank().contains(".");
      assertThat(context.getMessageId()).isNotBlank();
      assertThat(context.getStage()).isEqualTo("prod");
      assertThat(context.getDomainName()).isEqualTo("127.0.0.1");
      assertThat(context.getConnectedAt()).isPositive();
      assertThat(context.getRequestTimeEpoch()).isGreaterThanOrEqualTo(context.getConnectedAt());
      assertThat(context.getApiId()).isEqualTo(Fixtures.API_ID);
      assertThat(context.getIdentity().getSourceIp()).isEqualTo("127.0.0.1");
      assertThat(context.getIdentity().getApiKey()).isEqualTo(KEY);
      assertThat(event.isIsBase64Encoded()).isFalse();
      assertThat(seen.get(1).getRequestContext().getConnectionId())
          .isEqualTo(context.getConnectionId());
      assertThat(seen.get(1).getRequestContext().getMessageId())
          .isNotEqualTo(context.getMessageId());

      List<UsageEvent> connects = events("$connect", 1);
      assertThat(connects.getFirst().status()).isEqualTo(101);
      assertThat(connects.getFirst().keyId()).isEqualTo("key-1");
      assertThat(connects.getFirst().webSocketEvent()).isEqualTo("CONNECT");
      List<UsageEvent> sends = events("send", 1);
      assertThat(sends.getFirst().bytesIn()).isEqualTo(29);
      assertThat(sends.getFirst().bytesOut()).isEqualTo(13);
      assertThat(sends.getFirst().keyId()).isEqualTo("key-1");
      assertThat(sends.getFirst().planId()).isEqualTo("gold");
      assertThat(sends.getFirst().webSocketEvent()).isEqualTo("MESSAGE");
      assertThat(events("$default", 2)).allMatch(e -> e.outcome() == Outcome.SERVED);
    }

    @Test
    void a_message_no_route_takes_is_answered_forbidden_without_a_default_route() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      deploy(null, route("send", Fixtures.mock(200, "ok"), true));
      Client chat = connect(Map.of());
      chat.socket().writeTextMessage("{\"action\":\"other\"}");
      JsonObject error = new JsonObject(chat.next());
      assertThat(error.getString("message")).isEqualTo("Forbidden");
      assertThat(error.getString("connectionId")).isNotBlank();
    }

    @Test
    void a_one_way_route_sends_nothing_back() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      deploy(
          null,
          route("quiet", Fixtures.mock(200, "not for the client"), false),
          route("send", Fixtures.mock(200, "ok"), true));
      Client chat = connect(Map.of());
      chat.socket().writeTextMessage("{\"action\":\"quiet\"}");
      chat.socket().writeTextMessage("{\"action\":\"send\"}");
      assertThat(chat.next()).isEqualTo("ok");
      assertThat(chat.inbox()).isEmpty();
    }
  }

  @Nested
  class Connect {
    @Test
    void connect_requires_the_key_connect_asks_for() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      deploy(null, keyedConnect(null), route("$default", Fixtures.mock(200, "ok"), true));
      assertThat(refusedStatus(Map.of())).isEqualTo(403);
      assertThat(refusedStatus(Map.of("x-api-key", "tpk_wrong"))).isEqualTo(403);
      assertThat(gateway.webSockets.openConnections()).isZero();
      assertThat(events("$connect", 2)).allMatch(e -> e.outcome() == Outcome.FORBIDDEN);
    }

    @Test
    void a_connect_integration_answering_non_2xx_refuses_the_connection() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      List<APIGatewayV2WebSocketEvent> seen = new CopyOnWriteArrayList<>();
      FunctionHost gatekeeper =
          function(
              (event, context) -> {
                seen.add(event);
                APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
                String user =
                    event.getQueryStringParameters() == null
                        ? null
                        : event.getQueryStringParameters().get("user");
                response.setStatusCode("alice".equals(user) ? 200 : 401);
                return response;
              });
      deploy(
          null,
          new WebSocketRouteConfig("$connect", false, null, fn(gatekeeper), false),
          route("$default", Fixtures.mock(200, "ok"), true));
      WebSocketConnectOptions bob =
          new WebSocketConnectOptions()
              .setHost("127.0.0.1")
              .setPort(gateway.port())
              .setURI(PATH + "?user=bob");
      AtomicReference<Throwable> refused = new AtomicReference<>();
      client.connect(bob).onComplete((ws, error) -> refused.set(error));
      Await.until(WAIT, () -> refused.get() != null, "bob refused");
      assertThat(((UpgradeRejectedException) refused.get()).getStatus()).isEqualTo(401);

      WebSocket alice =
          GatewayRig.await(
              client.connect(
                  new WebSocketConnectOptions()
                      .setHost("127.0.0.1")
                      .setPort(gateway.port())
                      .setURI(PATH + "?user=alice")
                      .addHeader("x-custom", "yes")));
      assertThat(alice.isClosed()).isFalse();
      APIGatewayV2WebSocketEvent connect = seen.getLast();
      assertThat(connect.getRequestContext().getEventType()).isEqualTo("CONNECT");
      assertThat(connect.getRequestContext().getRouteKey()).isEqualTo("$connect");
      assertThat(connect.getHeaders()).containsEntry("x-custom", "yes");
      // The client may see the 101 before the node has filed the connection.
      Await.until(WAIT, () -> gateway.webSockets.openConnections() == 1, "alice's connection");
    }

    @Test
    void host_style_addresses_reach_the_same_stage() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      deploy(null, route("$default", Fixtures.mock(200, "host style"), true));
      ConcurrentLinkedQueue<String> inbox = new ConcurrentLinkedQueue<>();
      WebSocket socket =
          GatewayRig.await(
              client
                  .connect(
                      new WebSocketConnectOptions()
                          .setHost("127.0.0.1")
                          .setPort(gateway.port())
                          .addHeader("host", "pets.acme." + GatewayRig.DOMAIN)
                          // As browsers send it: the listener compresses, the handshake is not.
                          .addHeader("accept-encoding", "gzip, deflate, br")
                          .setURI("/prod"))
                  .onSuccess(ws -> ws.textMessageHandler(inbox::add)));
      socket.writeTextMessage("{}");
      Await.until(WAIT, () -> !inbox.isEmpty(), "the answer");
      assertThat(inbox.poll()).isEqualTo("host style");
    }

    @Test
    void a_plain_get_of_the_stage_is_told_to_upgrade() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      deploy(null, route("$default", Fixtures.mock(200, "ok"), true));
      assertThat(gateway.get(PATH, Map.of()).status()).isEqualTo(426);
    }
  }

  @Nested
  class Authorizers {
    @Test
    void connect_runs_the_authorizer_and_its_context_reaches_every_message() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      FunctionHost authorizer =
          FunctionHost.serving(
              com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent.class,
              com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1.class,
              (event, context) ->
                  new com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1(
                      "user-7",
                      new com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1
                          .PolicyDocument(
                          com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1
                              .VERSION_2012_10_17,
                          List.of(
                              new com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1
                                  .Statement(
                                  com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1
                                      .EXECUTE_API_INVOKE,
                                  "Bearer good".equals(event.getAuthorizationToken())
                                      ? "Allow"
                                      : "Deny",
                                  List.of(event.getMethodArn()),
                                  null))),
                      Map.of("tier", "gold"),
                      null));
      hosts.add(authorizer);
      AtomicReference<JsonObject> seen = new AtomicReference<>();
      FunctionHost echo =
          FunctionHost.answering(
              event -> {
                seen.set(
                    new JsonObject(new String(event, java.nio.charset.StandardCharsets.UTF_8)));
                return FunctionHost.Answer.ok("{\"statusCode\":200,\"body\":\"seen\"}");
              });
      hosts.add(echo);
      DeploymentSnapshot base = Fixtures.deployment("prod", List.of());
      DeploymentSnapshot snapshot =
          base.toBuilder()
              .authorizers(
                  List.of(
                      new dev.turnpike.contracts.config.AuthorizerConfig(
                          "auth-1",
                          "tokens",
                          dev.turnpike.contracts.config.AuthorizerType.TOKEN,
                          List.of("method.request.header.Authorization"),
                          null,
                          new FunctionTarget("authorizer", authorizer.invokeUrl(), 0, null),
                          null,
                          2_000,
                          0,
                          null,
                          null,
                          false)))
              .webSocket(
                  new WebSocketApiConfig(
                      null,
                      List.of(
                          new WebSocketRouteConfig(
                              "$connect",
                              false,
                              new dev.turnpike.contracts.config.RouteAuthorization(
                                  "auth-1", List.of()),
                              null,
                              false),
                          route("$default", fn(echo), true))))
              .build();
      gateway.load(List.of(snapshot), List.of(), List.of());

      assertThat(refusedStatus(Map.of())).isEqualTo(401);
      assertThat(refusedStatus(Map.of("authorization", "Bearer bad"))).isEqualTo(403);
      assertThat(gateway.webSockets.openConnections()).isZero();

      Client chat = connect(Map.of("authorization", "Bearer good"));
      chat.socket().writeTextMessage("{}");
      assertThat(chat.next()).isEqualTo("seen");
      JsonObject context = seen.get().getJsonObject("requestContext");
      assertThat(context.getJsonObject("authorizer").getString("principalId")).isEqualTo("user-7");
      assertThat(context.getJsonObject("authorizer").getString("tier")).isEqualTo("gold");
      assertThat(events("$default", 1).getFirst().principalId()).isEqualTo("user-7");
    }
  }

  @Nested
  class Disconnect {
    @Test
    void disconnect_reaches_the_backend_when_the_client_goes() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      List<APIGatewayV2WebSocketEvent> seen = new CopyOnWriteArrayList<>();
      FunctionHost backend =
          function(
              (event, context) -> {
                seen.add(event);
                APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
                response.setStatusCode(200);
                return response;
              });
      deploy(null, route("$disconnect", fn(backend), false));
      Client chat = connect(Map.of());
      GatewayRig.await(chat.socket().close((short) 1000, "bye"));
      Await.until(WAIT, () -> !seen.isEmpty(), "the $disconnect event");
      var context = seen.getFirst().getRequestContext();
      assertThat(context.getEventType()).isEqualTo("DISCONNECT");
      assertThat(context.getRouteKey()).isEqualTo("$disconnect");
      Await.until(WAIT, () -> gateway.webSockets.openConnections() == 0, "connection forgotten");
      UsageEvent disconnect = events("$disconnect", 1).getFirst();
      assertThat(disconnect.status()).isEqualTo(200);
      assertThat(disconnect.webSocketEvent()).isEqualTo("DISCONNECT");
      assertThat(disconnect.connectionMillis()).isNotNegative();
    }
  }

  @Nested
  class Limits {
    @Test
    void an_idle_connection_is_closed_going_away() throws Exception {
      start(settings(Duration.ofMillis(300), Duration.ofHours(1)));
      deploy(null, route("$default", Fixtures.mock(200, "ok"), true));
      Client chat = connect(Map.of());
      AtomicReference<Short> code = new AtomicReference<>();
      chat.socket().closeHandler(ignored -> code.set(chat.socket().closeStatusCode()));
      Await.until(WAIT, () -> code.get() != null, "the idle connection closed");
      assertThat(code.get()).isEqualTo((short) 1001);
    }

    @Test
    void a_connection_is_closed_at_its_maximum_duration_even_when_busy() throws Exception {
      start(settings(Duration.ofHours(1), Duration.ofMillis(500)));
      deploy(null, route("$default", Fixtures.mock(200, "ok"), true));
      Client chat = connect(Map.of());
      AtomicReference<Short> code = new AtomicReference<>();
      chat.socket().closeHandler(ignored -> code.set(chat.socket().closeStatusCode()));
      Await.until(
          WAIT,
          () -> {
            if (!chat.socket().isClosed()) {
              chat.socket().writeTextMessage("{}");
            }
            return code.get() != null;
          },
          "the connection closed at its lifetime");
      assertThat(code.get()).isEqualTo((short) 1001);
    }

    @Test
    void a_message_over_the_limit_closes_the_connection_as_too_big() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      deploy(null, route("$default", Fixtures.mock(200, "ok"), true));
      Client chat = connect(Map.of());
      AtomicReference<Short> code = new AtomicReference<>();
      chat.socket().closeHandler(ignored -> code.set(chat.socket().closeStatusCode()));
      // Frames of 16 KB, 9 of them: 144 KB, over the 128 KB message limit.
      String part = "x".repeat(16 * 1024);
      chat.socket().writeFrame(io.vertx.core.http.WebSocketFrame.textFrame(part, false));
      for (int i = 0; i < 7; i++) {
        chat.socket()
            .writeFrame(
                io.vertx.core.http.WebSocketFrame.continuationFrame(
                    io.vertx.core.buffer.Buffer.buffer(part), false));
      }
      chat.socket()
          .writeFrame(
              io.vertx.core.http.WebSocketFrame.continuationFrame(
                  io.vertx.core.buffer.Buffer.buffer(part), true));
      Await.until(WAIT, () -> code.get() != null, "the connection closed");
      assertThat(code.get()).isEqualTo((short) 1009);
      assertThat(events("$default", 0)).isEmpty();
    }

    @Test
    void a_client_that_stops_reading_is_closed_with_1008_instead_of_buffered() throws Exception {
      start(
          new WebSocketSettings(
              32 * 1024,
              128 * 1024,
              Duration.ofHours(1),
              Duration.ofHours(1),
              Duration.ofHours(1),
              128 * 1024,
              1_000,
              10_000));
      deploy(null, route("$default", Fixtures.mock(200, "y".repeat(64 * 1024)), true));
      Client chat = connect(Map.of());
      AtomicReference<Short> code = new AtomicReference<>();
      chat.socket().closeHandler(ignored -> code.set(chat.socket().closeStatusCode()));
      chat.socket().pause();
      // Each message asks for 64 KB back; the client reads none of it.
      Await.until(
          Duration.ofSeconds(30),
          () -> {
            for (int i = 0; i < 20; i++) {
              chat.socket().writeTextMessage("{}");
            }
            return gateway.webSockets.slowClientsClosed() > 0;
          },
          "the slow client closed");
      chat.socket().resume();
      Await.until(WAIT, () -> code.get() != null, "the close frame read");
      assertThat(code.get()).isEqualTo((short) 1008);
    }

    @Test
    void a_tenant_past_its_connection_limit_is_refused_until_one_closes() throws Exception {
      start(
          new WebSocketSettings(
              32 * 1024,
              128 * 1024,
              Duration.ofHours(1),
              Duration.ofHours(1),
              Duration.ofHours(1),
              1024 * 1024,
              16,
              10_000,
              2));
      deploy(null, route("$default", Fixtures.mock(200, "ok"), true));
      Client first = connect(Map.of());
      connect(Map.of());
      assertThat(refusedStatus(Map.of())).isEqualTo(429);
      Await.until(WAIT, () -> gateway.webSockets.openFor(Fixtures.TENANT_ID) == 2, "two open");

      GatewayRig.await(first.socket().close());
      Await.until(WAIT, () -> gateway.webSockets.openFor(Fixtures.TENANT_ID) == 1, "one closed");
      assertThat(connect(Map.of()).socket().isClosed()).isFalse();
    }

    WebSocketSettings settings(Duration idle, Duration lifetime) {
      return new WebSocketSettings(
          32 * 1024, 128 * 1024, idle, lifetime, Duration.ofHours(1), 1024 * 1024, 16, 10_000);
    }
  }

  @Nested
  class Throttling {
    @Test
    void messages_past_the_keys_plan_rate_are_answered_too_many_requests() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      // The handshake takes the one token of the burst; messages then find none.
      deploy(
          new ThrottleLimit(0.001, 2),
          keyedConnect(null),
          route("$default", Fixtures.mock(200, "ok"), true));
      Client chat = connect(Map.of("x-api-key", KEY));
      chat.socket().writeTextMessage("{}");
      assertThat(chat.next()).isEqualTo("ok");
      chat.socket().writeTextMessage("{}");
      assertThat(new JsonObject(chat.next()).getString("message")).isEqualTo("Too Many Requests");
      assertThat(events("$default", 2))
          .extracting(UsageEvent::outcome)
          .containsExactly(Outcome.SERVED, Outcome.THROTTLED);
    }
  }

  @Nested
  class RouteThrottles {
    @Test
    void a_message_past_its_routes_throttle_is_answered_too_many_requests_and_not_routed()
        throws Exception {
      start(WebSocketSettings.DEFAULTS);
      java.util.concurrent.atomic.AtomicInteger invoked =
          new java.util.concurrent.atomic.AtomicInteger();
      FunctionHost send =
          function(
              (event, context) -> {
                invoked.incrementAndGet();
                APIGatewayV2WebSocketResponse answer = new APIGatewayV2WebSocketResponse();
                answer.setStatusCode(200);
                answer.setBody("sent");
                return answer;
              });
      deploy(
          null,
          new WebSocketRouteConfig(
              "send", false, null, fn(send), true, new ThrottleLimit(0.001, 1)),
          route("$default", Fixtures.mock(200, "ok"), true));
      Client chat = connect(Map.of());

      chat.socket().writeTextMessage("{\"action\":\"send\"}");
      assertThat(chat.next()).isEqualTo("sent");
      chat.socket().writeTextMessage("{\"action\":\"send\"}");
      JsonObject refused = new JsonObject(chat.next());
      // Another route of the same connection has its own (here no) throttle.
      chat.socket().writeTextMessage("{}");
      assertThat(chat.next()).isEqualTo("ok");

      assertThat(refused.getString("message")).isEqualTo("Too Many Requests");
      assertThat(refused.getString("connectionId")).isNotBlank();
      assertThat(invoked).hasValue(1);
      assertThat(events("send", 2))
          .extracting(UsageEvent::status, UsageEvent::outcome)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(200, Outcome.SERVED),
              org.assertj.core.groups.Tuple.tuple(429, Outcome.THROTTLED));
    }

    @Test
    void a_routes_throttle_counts_the_messages_of_all_the_stages_connections() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      deploy(
          null,
          new WebSocketRouteConfig(
              "$default",
              false,
              null,
              Fixtures.mock(200, "ok"),
              true,
              new ThrottleLimit(0.001, 1)));
      Client first = connect(Map.of());
      Client second = connect(Map.of());

      first.socket().writeTextMessage("{}");
      assertThat(first.next()).isEqualTo("ok");
      second.socket().writeTextMessage("{}");

      assertThat(new JsonObject(second.next()).getString("message")).isEqualTo("Too Many Requests");
    }

    @Test
    void a_throttle_on_connect_counts_handshakes() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      deploy(
          null,
          new WebSocketRouteConfig(
              WebSocketRouteConfig.CONNECT, false, null, null, false, new ThrottleLimit(0.001, 1)),
          route("$default", Fixtures.mock(200, "ok"), true));
      connect(Map.of());

      assertThat(refusedStatus(Map.of())).isEqualTo(429);
    }
  }

  @Nested
  class KeyConnectionLimits {
    static final String OTHER_KEY = "tpk_websocket11111111111111111111111111111";

    /** Two keys of the tenant, both in a plan letting each hold {@code perKey} connections. */
    void deployKeys(int perKey) {
      DeploymentSnapshot snapshot =
          Fixtures.deployment("prod", List.of()).toBuilder()
              .webSocket(
                  new WebSocketApiConfig(
                      "$request.body.action",
                      List.of(
                          keyedConnect(null), route("$default", Fixtures.mock(200, "ok"), true))))
              .build();
      var plan = Fixtures.plan("gold", null, null, "prod");
      gateway.load(
          List.of(snapshot),
          List.of(
              Fixtures.key(KEY, "key-1", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of("gold")),
              Fixtures.key(
                  OTHER_KEY, "key-2", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of("gold"))),
          List.of(
              new dev.turnpike.contracts.config.PlanRecord(
                  plan.schemaVersion(),
                  plan.tenantId(),
                  plan.planId(),
                  plan.name(),
                  null,
                  null,
                  plan.apiStages(),
                  plan.limitScope(),
                  perKey)));
    }

    WebSocketSettings tenantCap(int connections) {
      return new WebSocketSettings(
          32 * 1024,
          128 * 1024,
          Duration.ofHours(1),
          Duration.ofHours(1),
          Duration.ofHours(1),
          1024 * 1024,
          16,
          10_000,
          connections);
    }

    @Test
    void a_key_past_its_plans_connection_limit_is_refused_until_one_closes() throws Exception {
      start(WebSocketSettings.DEFAULTS);
      deployKeys(2);
      Client first = connect(Map.of("x-api-key", KEY));
      connect(Map.of("x-api-key", KEY));

      assertThat(refusedStatus(Map.of("x-api-key", KEY))).isEqualTo(429);
      assertThat(gateway.webSockets.openForKey(Fixtures.TENANT_ID, "key-1")).isEqualTo(2);
      assertThat(events("$connect", 3))
          .extracting(UsageEvent::status, UsageEvent::outcome)
          .contains(org.assertj.core.groups.Tuple.tuple(429, Outcome.THROTTLED));

      GatewayRig.await(first.socket().close());
      Await.until(
          WAIT,
          () -> gateway.webSockets.openForKey(Fixtures.TENANT_ID, "key-1") == 1,
          "the key's connection closed");
      assertThat(connect(Map.of("x-api-key", KEY)).socket().isClosed()).isFalse();
    }

    @Test
    void one_key_storming_handshakes_holds_its_own_limit_and_leaves_the_tenants_to_other_keys()
        throws Exception {
      start(tenantCap(3));
      deployKeys(1);

      // Twenty handshakes of one key at once: exactly one gets through, however they interleave.
      List<Future<WebSocket>> storm = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        storm.add(open(Map.of("x-api-key", KEY)));
      }
      Await.until(
          WAIT, () -> storm.stream().allMatch(Future::isComplete), "every handshake answered");
      assertThat(storm.stream().filter(Future::succeeded).count()).isEqualTo(1);
      assertThat(storm.stream().filter(Future::failed).map(Future::cause))
          .allSatisfy(
              error -> assertThat(((UpgradeRejectedException) error).getStatus()).isEqualTo(429));

      // The tenant's other places are still there for another key.
      connect(Map.of("x-api-key", OTHER_KEY));
      assertThat(gateway.webSockets.openFor(Fixtures.TENANT_ID)).isEqualTo(2);
      assertThat(gateway.webSockets.openForKey(Fixtures.TENANT_ID, "key-1")).isEqualTo(1);
    }
  }

  static MultiMap none() {
    return MultiMap.caseInsensitiveMultiMap();
  }
}
