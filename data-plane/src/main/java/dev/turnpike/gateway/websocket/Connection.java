package dev.turnpike.gateway.websocket;

import dev.turnpike.contracts.config.WebSocketRouteConfig;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.usage.RequestIds;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open WebSocket connection: routes each message, sends two-way routes' answers and callbacks'
 * messages back, keeps its idle and lifetime clocks, pings a quiet client, and runs {@code
 * $disconnect} once it is gone. Confined to the event loop that accepted it; other loops reach it
 * through {@link #runOnLoop}.
 */
public final class Connection {
  /** API Gateway closes an idle or too old connection with 1001 Going Away. */
  static final short GOING_AWAY = 1001;

  /** A client that does not read what it is sent: policy violation, with a reason that says so. */
  static final short SLOW_CLIENT = 1008;

  static final short MESSAGE_TOO_BIG = 1009;

  static final String SLOW_CLIENT_REASON = "Client too slow: its send queue is full";

  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private final WebSocketGateway gateway;
  private final ServerWebSocket socket;
  private final WebSocketStage stage;
  private final ConnectionInfo info;
  private final ConnectRequest.MessageAdmission admission;
  private final WebSocketSettings settings;
  private final Context context;

  private long lastActiveMillis;
  private long lastActiveNanos;
  private int inFlight;
  private boolean paused;
  private boolean closed;
  private short closeCode;
  private String closeReason;
  private long idleTimer = -1;
  private long lifetimeTimer = -1;
  private long pingTimer = -1;

  Connection(
      WebSocketGateway gateway,
      ServerWebSocket socket,
      WebSocketStage stage,
      ConnectionInfo info,
      ConnectRequest.MessageAdmission admission) {
    this.gateway = gateway;
    this.socket = socket;
    this.stage = stage;
    this.info = info;
    this.admission = admission;
    this.settings = gateway.settings();
    this.context = Vertx.currentContext();
  }

  public ConnectionInfo info() {
    return info;
  }

  /** Epoch milliseconds of the last message or pong from the client (the handshake at first). */
  public long lastActiveAt() {
    return lastActiveMillis;
  }

  /** Runs {@code work} on this connection's event loop. */
  public void runOnLoop(Runnable work) {
    if (Vertx.currentContext() == context) {
      work.run();
    } else {
      context.runOnContext(ignored -> work.run());
    }
  }

  void start() {
    touch();
    Vertx vertx = context.owner();
    // The listener's idle timeout is for HTTP exchanges; this connection keeps its own clock.
    if (socket instanceof WebSocketInternal internal) {
      ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
      if (pipeline.get(IdleStateHandler.class) != null) {
        pipeline.remove(IdleStateHandler.class);
      }
    }
    socket.setWriteQueueMaxSize(settings.maxQueuedBytes());
    socket.textMessageHandler(text -> onMessage(Buffer.buffer(text), text, false));
    socket.binaryMessageHandler(bytes -> onMessage(bytes, null, true));
    socket.pongHandler(ignored -> touch());
    socket.exceptionHandler(this::onFailure);
    socket.closeHandler(ignored -> onClosed());
    idleTimer = vertx.setTimer(settings.idleTimeout().toMillis(), ignored -> checkIdle());
    lifetimeTimer =
        vertx.setTimer(
            settings.maxConnectionDuration().toMillis(),
            ignored -> close(GOING_AWAY, "Going away"));
    long ping = settings.pingInterval().toMillis();
    pingTimer = vertx.setPeriodic(ping, ping, ignored -> pingIfQuiet(ping));
  }

  /**
   * Vert.x reports a message past the size limit as a failure and drops it; API Gateway closes such
   * a connection, with 1009 (message too big).
   */
  private void onFailure(Throwable error) {
    if (error instanceof IllegalStateException
        && String.valueOf(error.getMessage()).contains("max message size")) {
      close(MESSAGE_TOO_BIG, "Message too big");
      return;
    }
    info.log()
        .run(() -> LOG.debug("WebSocket {} failed: {}", info.connectionId(), error.toString()));
  }

  private void touch() {
    lastActiveMillis = gateway.nowMillis();
    lastActiveNanos = System.nanoTime();
  }

  private void checkIdle() {
    long idle = settings.idleTimeout().toNanos();
    long quiet = System.nanoTime() - lastActiveNanos;
    if (quiet >= idle) {
      close(GOING_AWAY, "Going away");
      return;
    }
    idleTimer =
        context.owner().setTimer(Math.max(1, (idle - quiet) / 1_000_000), ignored -> checkIdle());
  }

  private void pingIfQuiet(long intervalMillis) {
    if (!closed && System.nanoTime() - lastActiveNanos >= intervalMillis * 1_000_000) {
      socket.writePing(Buffer.buffer());
    }
  }

  /** Closes the connection with {@code code}; {@code $disconnect} follows once it is closed. */
  public void close(short code, String reason) {
    if (closed || closeReason != null) {
      return;
    }
    closeCode = code;
    closeReason = reason;
    socket.close(code, reason);
  }

  /**
   * Sends {@code message} to the client as a text message, or closes the connection when the client
   * has let more than the node's bound pile up unread.
   *
   * @return false when the connection is closed or closing
   */
  public boolean send(Buffer message) {
    if (closed || closeReason != null) {
      return false;
    }
    if (socket.writeQueueFull()) {
      gateway.slowClientClosed();
      close(SLOW_CLIENT, SLOW_CLIENT_REASON);
      return false;
    }
    socket.writeTextMessage(message.toString());
    return true;
  }

  private void onMessage(Buffer bytes, String text, boolean binary) {
    long startNanos = System.nanoTime();
    long startMillis = gateway.nowMillis();
    touch();
    String requestId = RequestIds.next().toString();
    WebSocketStage.Route route = stage.routeFor(text);
    if (route == null) {
      answerError("Forbidden", requestId);
      gateway.meter(
          info,
          EventType.MESSAGE,
          0,
          null,
          403,
          Outcome.MISSING_AUTHENTICATION_TOKEN,
          startNanos,
          startMillis,
          bytes.length(),
          0);
      return;
    }
    // API Gateway's order: the key's plan first, then the route's own throttle.
    if (!admission.tryAcquire() || !route.admits(System.nanoTime())) {
      answerError("Too Many Requests", requestId);
      gateway.meter(
          info,
          EventType.MESSAGE,
          0,
          route.routeKey(),
          429,
          Outcome.THROTTLED,
          startNanos,
          startMillis,
          bytes.length(),
          0);
      return;
    }
    if (route.broken()) {
      answerError("Internal server error", requestId);
      gateway.meter(
          info,
          EventType.MESSAGE,
          0,
          route.routeKey(),
          500,
          Outcome.CONFIGURATION_ERROR,
          startNanos,
          startMillis,
          bytes.length(),
          0);
      return;
    }
    if (route.integration() == null) {
      gateway.meter(
          info,
          EventType.MESSAGE,
          0,
          route.routeKey(),
          200,
          Outcome.SERVED,
          startNanos,
          startMillis,
          bytes.length(),
          0);
      return;
    }
    MessageEvent event =
        new MessageEvent(
            EventType.MESSAGE,
            route.routeKey(),
            messageId(),
            requestId,
            startMillis,
            bytes,
            binary,
            info,
            0,
            null);
    enter();
    Future<MessageReply> reply;
    try {
      reply = route.integration().invoke(event);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(
        (answer, error) -> {
          leave();
          if (error != null) {
            GatewayFailure failure =
                error instanceof GatewayFailure known
                    ? known
                    : new GatewayFailure(
                        dev.turnpike.gateway.response.GatewayResponseType.INTEGRATION_FAILURE);
            answerError(
                failure.type().defaultStatus() == 504
                    ? "Endpoint request timed out"
                    : "Internal server error",
                requestId);
            gateway.meter(
                info,
                EventType.MESSAGE,
                0,
                route.routeKey(),
                failure.type().defaultStatus(),
                failure.type().outcome(),
                startNanos,
                startMillis,
                bytes.length(),
                0);
            return;
          }
          long sent = 0;
          if (route.twoWay() && answer.body().length() > 0) {
            if (answer.body().length() > settings.maxMessageBytes()) {
              answerError("Internal server error", requestId);
            } else if (send(answer.body())) {
              sent = answer.body().length();
            }
          }
          gateway.meter(
              info,
              EventType.MESSAGE,
              0,
              route.routeKey(),
              answer.status(),
              answer.isSuccess() ? Outcome.SERVED : Outcome.INTEGRATION_FAILURE,
              startNanos,
              startMillis,
              bytes.length(),
              sent);
        });
  }

  /**
   * A connection's messages with integrations at once are bounded: past the bound the gateway stops
   * reading from the client (TCP pushes back on it) until one is answered.
   */
  private void enter() {
    inFlight++;
    if (inFlight >= settings.maxInFlightMessages() && !paused) {
      paused = true;
      socket.pause();
    }
  }

  private void leave() {
    inFlight--;
    if (paused && inFlight < settings.maxInFlightMessages() && !closed) {
      paused = false;
      socket.resume();
    }
  }

  /** API Gateway's error message to the client: its text, the connection and request ids. */
  private void answerError(String message, String requestId) {
    send(
        Buffer.buffer(
            new JsonObject()
                .put("message", message)
                .put("connectionId", info.connectionId())
                .put("requestId", requestId)
                .encode()));
  }

  private static String messageId() {
    return RequestIds.next().toString();
  }

  private void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    Vertx vertx = context.owner();
    vertx.cancelTimer(idleTimer);
    vertx.cancelTimer(lifetimeTimer);
    vertx.cancelTimer(pingTimer);
    gateway.closed(this);
    long startNanos = System.nanoTime();
    long startMillis = gateway.nowMillis();
    Short status = socket.closeStatusCode();
    int code = closeCode != 0 ? closeCode : status == null ? 1006 : status;
    String reason = closeReason != null ? closeReason : socket.closeReason();
    WebSocketStage.Route route = stage.disconnect();
    if (route == null || route.integration() == null) {
      gateway.meter(
          info,
          EventType.DISCONNECT,
          startMillis - info.connectedAt(),
          WebSocketRouteConfig.DISCONNECT,
          200,
          Outcome.SERVED,
          startNanos,
          startMillis,
          0,
          0);
      return;
    }
    MessageEvent event =
        new MessageEvent(
            EventType.DISCONNECT,
            WebSocketRouteConfig.DISCONNECT,
            null,
            RequestIds.next().toString(),
            startMillis,
            null,
            false,
            info,
            code,
            reason == null ? "" : reason);
    Future<MessageReply> reply;
    try {
      reply = route.integration().invoke(event);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(
        (answer, error) -> {
          int answered =
              error instanceof GatewayFailure failure
                  ? failure.type().defaultStatus()
                  : error != null ? 500 : answer.status();
          gateway.meter(
              info,
              EventType.DISCONNECT,
              startMillis - info.connectedAt(),
              WebSocketRouteConfig.DISCONNECT,
              answered,
              error == null ? Outcome.SERVED : Outcome.INTEGRATION_FAILURE,
              startNanos,
              startMillis,
              0,
              0);
        });
  }
}
