package dev.turnpike.gateway.websocket;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * API Gateway's callback API, {@code POST|GET|DELETE /{stage}/@connections/{connectionId}}: send a
 * message to a connection, describe it, or close it. The caller must present the stage's {@link
 * CallbackAuth} token, and reaches only connections made to that stage. A connection held by
 * another node (its id names the node) is reached by forwarding the call once to that node's
 * gateway listener, at the address the operator lists for it or its heartbeat announces; one that
 * no node holds any more answers 410 {@code GoneException}, never silently nothing.
 */
public final class ConnectionCallbacks {
  /** Set on a forwarded call, so the node it reaches never forwards it again. */
  public static final String FORWARDED_HEADER = "x-turnpike-forwarded-by";

  /** What the callback answers. */
  public record Answer(int status, Buffer body, String errorType) {
    static Answer of(int status, String message, String errorType) {
      return new Answer(
          status, Buffer.buffer(new JsonObject().put("message", message).encode()), errorType);
    }
  }

  /**
   * One callback.
   *
   * @param method POST, GET or DELETE
   * @param token the token presented, null for none
   * @param forwardedBy the node that forwarded it here, null for a call from a backend
   * @param body for POST, the message (read by the caller, bounded by the message limit)
   */
  public record Call(
      String method,
      String connectionId,
      String tenantId,
      String apiId,
      String stage,
      String tenantSlug,
      String apiSlug,
      String token,
      String forwardedBy,
      Buffer body) {}

  static final Answer GONE = Answer.of(410, "Gone", "GoneException");
  static final Answer FORBIDDEN = Answer.of(403, "Forbidden", "ForbiddenException");

  private final WebSocketGateway gateway;
  private final CallbackAuth auth;
  private final Map<String, String> peers;
  private final HttpClient peerClient;

  /**
   * @param peers the other nodes' gateway listeners, {@code host:port} by node id
   * @param peerClient the client forwarded calls go out on (platform traffic, not a tenant's)
   */
  public ConnectionCallbacks(
      WebSocketGateway gateway,
      CallbackAuth auth,
      Map<String, String> peers,
      HttpClient peerClient) {
    this.gateway = gateway;
    this.auth = auth;
    this.peers = peers;
    this.peerClient = peerClient;
  }

  public CallbackAuth auth() {
    return auth;
  }

  public Future<Answer> serve(Call call) {
    if (!auth.admits(call.token(), call.tenantId(), call.apiId(), call.stage())) {
      return Future.succeededFuture(FORBIDDEN);
    }
    String owner = ConnectionIds.nodeOf(call.connectionId());
    if (owner == null) {
      return Future.succeededFuture(GONE);
    }
    if (!owner.equals(gateway.nodeId())) {
      return call.forwardedBy() != null ? Future.succeededFuture(GONE) : forward(owner, call);
    }
    Connection connection = gateway.connection(call.connectionId());
    if (connection == null || !belongsTo(connection.info(), call)) {
      return Future.succeededFuture(GONE);
    }
    return switch (call.method()) {
      case "POST" -> send(connection, call.body());
      case "GET" -> Future.succeededFuture(describe(connection));
      case "DELETE" ->
          onLoopOf(
              connection,
              () -> {
                connection.close((short) 1000, "Disconnected by the API");
                return new Answer(204, Buffer.buffer(), null);
              });
      default -> Future.succeededFuture(Answer.of(405, "Method Not Allowed", null));
    };
  }

  private static boolean belongsTo(ConnectionInfo info, Call call) {
    return info.tenantId().equals(call.tenantId())
        && info.apiId().equals(call.apiId())
        && info.stage().equals(call.stage());
  }

  private Future<Answer> send(Connection connection, Buffer body) {
    if (body.length() > gateway.settings().maxMessageBytes()) {
      return Future.succeededFuture(Answer.of(413, "Message too long", "PayloadTooLargeException"));
    }
    return onLoopOf(
        connection, () -> connection.send(body) ? new Answer(200, Buffer.buffer(), null) : GONE);
  }

  private static Answer describe(Connection connection) {
    ConnectionInfo info = connection.info();
    JsonObject identity = new JsonObject().put("sourceIp", info.sourceIp());
    if (info.userAgent() != null) {
      identity.put("userAgent", info.userAgent());
    }
    JsonObject body =
        new JsonObject()
            .put("connectedAt", Instant.ofEpochMilli(info.connectedAt()).toString())
            .put("identity", identity)
            .put("lastActiveAt", Instant.ofEpochMilli(connection.lastActiveAt()).toString());
    return new Answer(200, Buffer.buffer(body.encode()), null);
  }

  /** Runs {@code work} on the connection's event loop and brings its answer back here. */
  private static Future<Answer> onLoopOf(
      Connection connection, java.util.function.Supplier<Answer> work) {
    Context own = Vertx.currentContext();
    Promise<Answer> answered = Promise.promise();
    connection.runOnLoop(
        () -> {
          Answer answer = work.get();
          if (own == null) {
            answered.complete(answer);
          } else {
            own.runOnContext(ignored -> answered.complete(answer));
          }
        });
    return answered.future();
  }

  /**
   * The call, once, to the node that holds the connection; a node the operator does not list, or
   * that cannot be reached, holds no connection any more: 410.
   */
  private Future<Answer> forward(String owner, Call call) {
    String peer = peers.get(owner);
    if (peer == null || peerClient == null) {
      return Future.succeededFuture(GONE);
    }
    String path =
        "/"
            + call.tenantSlug()
            + "/"
            + call.apiSlug()
            + "/"
            + call.stage()
            + "/@connections/"
            + URLEncoder.encode(call.connectionId(), StandardCharsets.UTF_8);
    RequestOptions options =
        new RequestOptions()
            .setAbsoluteURI("http://" + peer + path)
            .setMethod(HttpMethod.valueOf(call.method()))
            .setFollowRedirects(false)
            .setTimeout(10_000)
            .putHeader(CallbackAuth.TOKEN_HEADER, call.token())
            .putHeader(FORWARDED_HEADER, gateway.nodeId());
    return peerClient
        .request(options)
        .compose(request -> call.body() == null ? request.send() : request.send(call.body()))
        .compose(
            response ->
                response
                    .body()
                    .map(
                        body ->
                            new Answer(
                                response.statusCode(),
                                body,
                                response.getHeader("x-amzn-ErrorType"))))
        .recover(error -> Future.succeededFuture(GONE));
  }
}
