package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import dev.turnpike.contracts.config.WebSocketRouteConfig;
import dev.turnpike.gateway.websocket.CallbackAuth;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.function.FunctionHost;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The @connections callback API across two gateway nodes on port 0: a backend reaches a client on
 * either node with the stage's callback token, and nobody reaches another tenant's connections.
 */
class GatewayConnectionsTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final CallbackAuth AUTH = new CallbackAuth(new byte[32]);

  final Map<String, String> peers = new ConcurrentHashMap<>();
  GatewayRig nodeA;
  GatewayRig nodeB;
  FunctionHost connectHook;
  final AtomicReference<JsonObject> lastConnect = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    nodeA =
        GatewayRig.builder()
            .webSocketNode(new GatewayRig.WebSocketNode("gw-a", AUTH, peers))
            .start();
    nodeB =
        GatewayRig.builder()
            .webSocketNode(new GatewayRig.WebSocketNode("gw-b", AUTH, peers))
            .start();
    peers.put("gw-a", "127.0.0.1:" + nodeA.port());
    peers.put("gw-b", "127.0.0.1:" + nodeB.port());
    connectHook =
        FunctionHost.answering(
            event -> {
              lastConnect.set(new JsonObject(new String(event, StandardCharsets.UTF_8)));
              return FunctionHost.Answer.ok("{\"statusCode\":200}");
            });
    IntegrationConfig hook =
        IntegrationConfig.awsProxy(
            new FunctionTarget("hook", connectHook.invokeUrl(), 0, FunctionTarget.PAYLOAD_1_0),
            5_000);
    WebSocketApiConfig api =
        new WebSocketApiConfig(
            null,
            List.of(
                new WebSocketRouteConfig(WebSocketRouteConfig.CONNECT, false, null, hook, false)));
    DeploymentSnapshot acme =
        Fixtures.deployment("prod", List.of()).toBuilder().webSocket(api).build();
    DeploymentSnapshot globex =
        DeploymentSnapshot.builder()
            .tenantId(Fixtures.OTHER_TENANT_ID)
            .tenantSlug("globex")
            .apiId("api-chat")
            .apiSlug("chat")
            .stage("prod")
            .deploymentId("dep-g")
            .hash("0".repeat(64))
            .deployedAt(Instant.now())
            .webSocket(api)
            .build();
    for (GatewayRig node : List.of(nodeA, nodeB)) {
      node.load(List.of(acme, globex), List.of(), List.of());
    }
  }

  @AfterEach
  void stop() {
    connectHook.close();
    nodeA.close();
    nodeB.close();
  }

  record Client(WebSocket socket, ConcurrentLinkedQueue<String> inbox, String connectionId) {}

  Client connectTo(GatewayRig node) {
    ConcurrentLinkedQueue<String> inbox = new ConcurrentLinkedQueue<>();
    WebSocket socket =
        GatewayRig.await(
            node.vertx
                .createWebSocketClient()
                .connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(node.port())
                        .setURI("/acme/pets/prod")
                        .addHeader("user-agent", "chat-client"))
                .onSuccess(ws -> ws.textMessageHandler(inbox::add)));
    String id = lastConnect.get().getJsonObject("requestContext").getString("connectionId");
    // The client may see the 101 before the node has filed the connection.
    Await.until(WAIT, () -> node.webSockets.connection(id) != null, "the connection filed");
    return new Client(socket, inbox, id);
  }

  String acmeToken() {
    return lastConnect.get().getJsonObject("requestContext").getString("callbackToken");
  }

  GatewayRig.Response callback(
      GatewayRig node, HttpMethod method, String stagePath, String id, String token, String body)
      throws Exception {
    Map<String, String> headers =
        token == null ? Map.of() : Map.of(CallbackAuth.TOKEN_HEADER, token);
    return node.call(
        method,
        stagePath + "/@connections/" + id,
        headers,
        body == null ? null : Buffer.buffer(body));
  }

  @Test
  void a_backend_sends_to_describes_and_closes_a_client_held_by_the_other_node() throws Exception {
    Client client = connectTo(nodeA);
    assertThat(client.connectionId()).endsWith(".Z3ctYQ");
    String token = acmeToken();
    assertThat(token).isEqualTo(AUTH.tokenFor(Fixtures.TENANT_ID, Fixtures.API_ID, "prod"));

    GatewayRig.Response sent =
        callback(nodeB, HttpMethod.POST, "/acme/pets/prod", client.connectionId(), token, "hello");
    assertThat(sent.status()).isEqualTo(200);
    Await.until(WAIT, () -> "hello".equals(client.inbox().peek()), "the pushed message");

    GatewayRig.Response described =
        callback(nodeB, HttpMethod.GET, "/acme/pets/prod", client.connectionId(), token, null);
    assertThat(described.status()).isEqualTo(200);
    JsonObject info = described.json();
    assertThat(info.getJsonObject("identity").getString("sourceIp")).isEqualTo("127.0.0.1");
    assertThat(info.getJsonObject("identity").getString("userAgent")).isEqualTo("chat-client");
    assertThat(Instant.parse(info.getString("connectedAt")))
        .isBeforeOrEqualTo(Instant.parse(info.getString("lastActiveAt")));

    GatewayRig.Response closed =
        callback(nodeA, HttpMethod.DELETE, "/acme/pets/prod", client.connectionId(), token, null);
    assertThat(closed.status()).isEqualTo(204);
    Await.until(WAIT, () -> client.socket().isClosed(), "the client disconnected");
    Await.until(WAIT, () -> nodeA.webSockets.openConnections() == 0, "the connection forgotten");

    for (GatewayRig node : List.of(nodeA, nodeB)) {
      GatewayRig.Response gone =
          callback(node, HttpMethod.POST, "/acme/pets/prod", client.connectionId(), token, "late");
      assertThat(gone.status()).isEqualTo(410);
      assertThat(gone.headers().get("x-amzn-ErrorType")).isEqualTo("GoneException");
    }
  }

  @Test
  void nobody_pushes_into_another_tenants_connections() throws Exception {
    Client client = connectTo(nodeA);
    String globexToken = AUTH.tokenFor(Fixtures.OTHER_TENANT_ID, "api-chat", "prod");

    // Globex's valid token, on globex's own stage, naming acme's connection: not one of its own.
    for (GatewayRig node : List.of(nodeA, nodeB)) {
      assertThat(
              callback(
                      node,
                      HttpMethod.POST,
                      "/globex/chat/prod",
                      client.connectionId(),
                      globexToken,
                      "pwned")
                  .status())
          .isEqualTo(410);
    }
    // Globex's token on acme's stage, no token, a made-up token: refused.
    assertThat(
            callback(
                    nodeB,
                    HttpMethod.POST,
                    "/acme/pets/prod",
                    client.connectionId(),
                    globexToken,
                    "pwned")
                .status())
        .isEqualTo(403);
    assertThat(
            callback(nodeA, HttpMethod.POST, "/acme/pets/prod", client.connectionId(), null, "x")
                .status())
        .isEqualTo(403);
    assertThat(
            callback(
                    nodeA,
                    HttpMethod.DELETE,
                    "/acme/pets/prod",
                    client.connectionId(),
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                    null)
                .status())
        .isEqualTo(403);
    // An id naming a node nobody listed is gone, and never forwarded anywhere.
    assertThat(
            callback(
                    nodeA,
                    HttpMethod.POST,
                    "/acme/pets/prod",
                    "AAAAAAAAAAAAAAAA.ZXZpbA",
                    acmeToken(),
                    "x")
                .status())
        .isEqualTo(410);
    // The client saw none of it and is still connected.
    GatewayRig.Response ok =
        callback(
            nodeB, HttpMethod.POST, "/acme/pets/prod", client.connectionId(), acmeToken(), "mine");
    assertThat(ok.status()).isEqualTo(200);
    Await.until(WAIT, () -> !client.inbox().isEmpty(), "the owner's message");
    assertThat(client.inbox()).containsExactly("mine");
  }
}
