package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import dev.turnpike.contracts.config.WebSocketRouteConfig;
import dev.turnpike.gateway.cluster.KafkaMembership;
import dev.turnpike.gateway.cluster.NodeDirectory;
import dev.turnpike.gateway.websocket.CallbackAuth;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.function.FunctionHost;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two gateway nodes listed nowhere find each other by their heartbeats, and then a callback for a
 * client on one node, made to the other, reaches it: the peers come from the live membership.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PeersFromMembershipTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final CallbackAuth AUTH = new CallbackAuth(new byte[32]);

  final String topic = "test.gateway.nodes." + UUID.randomUUID();
  final List<AutoCloseable> started = new ArrayList<>();
  final AtomicReference<JsonObject> lastConnect = new AtomicReference<>();

  record Node(GatewayRig rig, NodeDirectory directory) {}

  Node node(KafkaBroker kafka, String nodeId) throws Exception {
    NodeDirectory directory = new NodeDirectory(nodeId, Duration.ofMillis(1_000), Map.of());
    GatewayRig rig =
        GatewayRig.builder()
            .webSocketNode(new GatewayRig.WebSocketNode(nodeId, AUTH, directory.peers()))
            .start();
    started.add(rig);
    started.add(
        KafkaMembership.start(
            new KafkaMembership.Config(
                kafka.bootstrapServers(),
                Map.of(),
                topic,
                nodeId,
                "127.0.0.1:" + rig.port(),
                Duration.ofMillis(200),
                Duration.ofMillis(1_000),
                1),
            directory,
            count -> {},
            new SimpleMeterRegistry(),
            Clock.systemUTC()));
    return new Node(rig, directory);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : started.reversed()) {
      closeable.close();
    }
  }

  @Test
  void a_callback_reaches_a_client_on_a_node_found_by_its_heartbeat(KafkaBroker kafka)
      throws Exception {
    FunctionHost connectHook =
        FunctionHost.answering(
            event -> {
              lastConnect.set(new JsonObject(new String(event, StandardCharsets.UTF_8)));
              return FunctionHost.Answer.ok("{\"statusCode\":200}");
            });
    started.add(connectHook);
    Node a = node(kafka, "gw-a");
    Node b = node(kafka, "gw-b");
    IntegrationConfig hook =
        IntegrationConfig.awsProxy(
            new FunctionTarget("hook", connectHook.invokeUrl(), 0, FunctionTarget.PAYLOAD_1_0),
            5_000);
    DeploymentSnapshot acme =
        Fixtures.deployment("prod", List.of()).toBuilder()
            .webSocket(
                new WebSocketApiConfig(
                    null,
                    List.of(
                        new WebSocketRouteConfig(
                            WebSocketRouteConfig.CONNECT, false, null, hook, false))))
            .build();
    for (Node node : List.of(a, b)) {
      node.rig().load(List.of(acme), List.of(), List.of());
    }
    ConcurrentLinkedQueue<String> inbox = new ConcurrentLinkedQueue<>();
    WebSocket socket =
        GatewayRig.await(
            a.rig()
                .vertx
                .createWebSocketClient()
                .connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(a.rig().port())
                        .setURI("/acme/pets/prod"))
                .onSuccess(ws -> ws.textMessageHandler(inbox::add)));
    JsonObject context = lastConnect.get().getJsonObject("requestContext");
    String connectionId = context.getString("connectionId");
    Await.until(
        WAIT, () -> a.rig().webSockets.connection(connectionId) != null, "the connection filed");

    Await.until(
        WAIT,
        () -> ("127.0.0.1:" + a.rig().port()).equals(b.directory().peers().get("gw-a")),
        () -> "gw-b to hear gw-a's heartbeat; peers: " + b.directory().peers());
    GatewayRig.Response sent =
        b.rig()
            .call(
                HttpMethod.POST,
                "/acme/pets/prod/@connections/" + connectionId,
                Map.of(CallbackAuth.TOKEN_HEADER, context.getString("callbackToken")),
                Buffer.buffer("found you"));

    assertThat(sent.status()).isEqualTo(200);
    Await.until(WAIT, () -> "found you".equals(inbox.peek()), "the forwarded message");
    socket.close();
  }
}
