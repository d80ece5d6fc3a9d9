package dev.turnpike.gateway.websocket;

import dev.turnpike.contracts.config.WebSocketRouteConfig;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.gateway.usage.RequestIds;
import dev.turnpike.gateway.usage.UsageEventSink;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node's WebSocket connections: the handshake after {@code $connect} admitted it, and the table
 * of open connections that messages, timers and callbacks find them in. Each connection lives on
 * the event loop that accepted it; the table is the only state shared between loops.
 */
public final class WebSocketGateway {
  private final WebSocketSettings settings;
  private final UsageEventSink usage;
  private final String nodeId;
  private final ConnectionIds ids;
  private final Clock clock;
  private final CallbackAuth callbackAuth;
  private ConnectionCallbacks callbacks;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final LongAdder slowClientsClosed = new LongAdder();
  private final ConnectionCounts perTenant = new ConnectionCounts();
  // Keyed by tenant and key id: a plan's maxConnectionsPerKey, counted on this node.
  private final ConnectionCounts perKey = new ConnectionCounts();

  /** What the handshake answered: 101 for a connection, else the refusal's status and size. */
  public record ConnectOutcome(int status, long bytesOut) {}

  /** A gateway whose callbacks reach this node's connections alone. */
  public WebSocketGateway(
      WebSocketSettings settings, UsageEventSink usage, String nodeId, Clock clock) {
    this(settings, usage, nodeId, clock, CallbackAuth.random(), Map.of(), null);
  }

  /**
   * @param callbackAuth the platform's callback tokens (the same secret on every node)
   * @param peers the other nodes' gateway listeners ({@code host:port} by node id), where callbacks
   *     for their connections are forwarded; read at each call, so a live view (the nodes the
   *     membership hears from) is followed as it changes
   * @param peerClient the client those forwards go out on; null for a node without peers
   */
  public WebSocketGateway(
      WebSocketSettings settings,
      UsageEventSink usage,
      String nodeId,
      Clock clock,
      CallbackAuth callbackAuth,
      Map<String, String> peers,
      io.vertx.core.http.HttpClient peerClient) {
    this.callbackAuth = callbackAuth;
    this.callbacks = new ConnectionCallbacks(this, callbackAuth, peers, peerClient);
    this.settings = settings;
    this.usage = usage;
    this.nodeId = nodeId;
    this.ids = new ConnectionIds(nodeId);
    this.clock = clock;
  }

  /** The {@code @connections} API of this node. */
  public ConnectionCallbacks callbacks() {
    return callbacks;
  }

  public WebSocketSettings settings() {
    return settings;
  }

  public String nodeId() {
    return nodeId;
  }

  /** Connections open on this node now. */
  public int openConnections() {
    return connections.size();
  }

  /** Connections closed because their client did not read what it was sent. */
  public long slowClientsClosed() {
    return slowClientsClosed.sum();
  }

  void slowClientClosed() {
    slowClientsClosed.increment();
  }

  /** The connection {@code connectionId} on this node, or null. */
  public Connection connection(String connectionId) {
    return connectionId == null ? null : connections.get(connectionId);
  }

  /**
   * Runs {@code $connect}'s integration and, if it answers 2xx, upgrades the request; otherwise the
   * handshake is refused with the integration's status and body. Fails with a {@link
   * dev.turnpike.gateway.response.GatewayFailure} while nothing has been answered.
   */
  public Future<ConnectOutcome> connect(ConnectRequest connect) {
    HttpServerRequest request = connect.request();
    if (!request.canUpgradeToWebSocket()) {
      Buffer body = Buffer.buffer(new JsonObject().put("message", "Upgrade Required").encode());
      return request
          .response()
          .setStatusCode(426)
          .putHeader("content-type", "application/json")
          .putHeader("upgrade", "websocket")
          .end(body)
          .map(new ConnectOutcome(426, body.length()));
    }
    String tenantId = connect.stage().deployment().tenantId();
    String key = keySubject(tenantId, connect.apiKeyId());
    int keyCap = key == null ? 0 : connect.maxConnectionsPerKey();
    if (perTenant.isFull(tenantId, settings.maxConnectionsPerTenant())
        || (key != null && perKey.isFull(key, keyCap))) {
      // Checked again when the connection opens: this early answer spares the $connect call.
      return refuseOverLimit(request);
    }
    long now = clock.millis();
    ConnectionInfo info = infoOf(connect, ids.next(), now);
    WebSocketStage.Route route = connect.stage().connect();
    Future<MessageReply> reply;
    if (route == null || (route.integration() == null && !route.broken())) {
      reply = Future.succeededFuture(MessageReply.EMPTY_OK);
    } else if (route.broken()) {
      reply = Future.succeededFuture(new MessageReply(500, Buffer.buffer()));
    } else {
      reply =
          route
              .integration()
              .invoke(
                  new MessageEvent(
                      EventType.CONNECT,
                      WebSocketRouteConfig.CONNECT,
                      null,
                      connect.requestId(),
                      connect.startEpochMillis(),
                      null,
                      false,
                      info,
                      0,
                      null));
    }
    return reply.compose(
        answer -> {
          if (!answer.isSuccess()) {
            Buffer body =
                answer.body().length() > 0
                    ? answer.body()
                    : Buffer.buffer(new JsonObject().put("message", "Forbidden").encode());
            return request
                .response()
                .setStatusCode(answer.status())
                .end(body)
                .map(new ConnectOutcome(answer.status(), body.length()));
          }
          // The key's place first: a key past its own limit never holds one of the tenant's.
          if (key != null && !perKey.tryTake(key, keyCap)) {
            return refuseOverLimit(request);
          }
          if (!perTenant.tryTake(tenantId, settings.maxConnectionsPerTenant())) {
            releaseKey(key);
            return refuseOverLimit(request);
          }
          return request
              .toWebSocket()
              .onFailure(
                  error -> {
                    perTenant.release(tenantId);
                    releaseKey(key);
                  })
              .map(
                  socket -> {
                    Connection connection =
                        new Connection(this, socket, connect.stage(), info, connect.messages());
                    connections.put(info.connectionId(), connection);
                    connection.start();
                    return new ConnectOutcome(101, 0);
                  });
        });
  }

  private ConnectionInfo infoOf(ConnectRequest connect, String connectionId, long now) {
    HttpServerRequest request = connect.request();
    WebSocketStage stage = connect.stage();
    return new ConnectionInfo(
        connectionId,
        stage.deployment().tenantId(),
        stage.deployment().apiId(),
        stage.deployment().stage(),
        now,
        request.authority() == null ? null : request.authority().host(),
        connect.sourceIp(),
        request.getHeader("user-agent"),
        valuesOf(request.headers()),
        valuesOf(request.params()),
        stage.deployment().stageVariables(),
        connect.authorization(),
        connect.apiKey(),
        connect.apiKeyId(),
        connect.appId(),
        connect.planId(),
        connect.log().with("connectionId", connectionId),
        callbackAuth.tokenFor(
            stage.deployment().tenantId(), stage.deployment().apiId(), stage.deployment().stage()),
        connect.canary());
  }

  private static Map<String, List<String>> valuesOf(MultiMap map) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : map) {
      values.computeIfAbsent(entry.getKey(), name -> new ArrayList<>()).add(entry.getValue());
    }
    return values;
  }

  long nowMillis() {
    return clock.millis();
  }

  void closed(Connection connection) {
    ConnectionInfo info = connection.info();
    if (connections.remove(info.connectionId(), connection)) {
      perTenant.release(info.tenantId());
      releaseKey(keySubject(info.tenantId(), info.apiKeyId()));
    }
  }

  private void releaseKey(String key) {
    if (key != null) {
      perKey.release(key);
    }
  }

  /**
   * Counted per tenant and key: key ids are the tenant's own. Null for a connection without key.
   */
  private static String keySubject(String tenantId, String apiKeyId) {
    return apiKeyId == null ? null : tenantId + "/" + apiKeyId;
  }

  /** Connections {@code tenantId} holds open on this node. */
  public int openFor(String tenantId) {
    return perTenant.openFor(tenantId);
  }

  /** Connections the key {@code apiKeyId} of {@code tenantId} holds open on this node. */
  public int openForKey(String tenantId, String apiKeyId) {
    return perKey.openFor(keySubject(tenantId, apiKeyId));
  }

  /** API Gateway's answer to a limit: 429 {@code Limit Exceeded}. */
  private static Future<ConnectOutcome> refuseOverLimit(HttpServerRequest request) {
    Buffer body = Buffer.buffer(new JsonObject().put("message", "Limit Exceeded").encode());
    return request
        .response()
        .setStatusCode(429)
        .putHeader("content-type", "application/json")
        .putHeader("x-amzn-ErrorType", "LimitExceededException")
        .end(body)
        .map(new ConnectOutcome(429, body.length()));
  }

  /** One message, disconnect or refusal of a connection, as metering counts it. */
  void meter(
      ConnectionInfo info,
      EventType type,
      long connectionMillis,
      String routeKey,
      int status,
      Outcome outcome,
      long startNanos,
      long startMillis,
      long bytesIn,
      long bytesOut) {
    usage.emit(
        UsageEvent.builder()
            .eventId(RequestIds.next())
            .tenantId(info.tenantId())
            .apiId(info.apiId())
            .stage(info.stage())
            .routeKey(routeKey)
            .keyId(info.apiKeyId())
            .appId(info.appId())
            .planId(info.planId())
            .status(status)
            .outcome(outcome)
            .latencyMicros((System.nanoTime() - startNanos) / 1_000)
            .bytesIn(bytesIn)
            .bytesOut(bytesOut)
            .timestamp(Instant.ofEpochMilli(startMillis))
            .nodeId(nodeId)
            .principalId(info.authorization() == null ? null : info.authorization().principalId())
            .webSocketEvent(type.name())
            .connectionMillis(connectionMillis)
            .canary(info.canary())
            .build());
  }
}
