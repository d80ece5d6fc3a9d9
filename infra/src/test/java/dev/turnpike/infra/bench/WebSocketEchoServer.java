package dev.turnpike.infra.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The websocket scenario's reference: a bare Vert.x WebSocket server on one event loop that sends
 * every text message back as it came, the least a WebSocket server can do for a message. The load
 * client sends {@link BenchConfig#WEBSOCKET_MESSAGE}, which is also the gateway's mock answer, so
 * both servers answer the same bytes.
 *
 * <p>{@code WebSocketEchoServer PORT}: listens on {@code 127.0.0.1:PORT} and prints {@code READY
 * port=PORT} once it does; runs until it is killed.
 */
public final class WebSocketEchoServer {
  private WebSocketEchoServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: WebSocketEchoServer PORT");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    // One event loop, as the gateway node runs with TURNPIKE_GATEWAY_EVENT_LOOPS=1.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
            .webSocketHandler(socket -> socket.textMessageHandler(socket::writeTextMessage))
            .requestHandler(request -> request.response().setStatusCode(426).end());
    server.listen().await(30, TimeUnit.SECONDS);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> vertx.close().await(), "echo-server-stop"));
    System.out.printf(Locale.ROOT, "READY port=%d%n", server.actualPort());
    System.out.flush();
  }
}
