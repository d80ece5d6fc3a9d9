package dev.turnpike.infra.bench;

import dev.turnpike.gateway.node.EventLoopTransport;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's framework reference: Vert.x's own reverse proxy ({@code vertx-http-proxy}, from
 * Maven Central at the version the gateway's Vert.x has) in front of the backend, with nothing
 * added. It is what the gateway would cost if it did no gateway work, so the distance between this
 * row and the passthrough row is Turnpike's own, and the distance between this row and nginx is the
 * framework's.
 *
 * <p>{@code BareHttpProxy PORT BACKEND_PORT EVENT_LOOPS [TRANSPORT]}: listens on {@code
 * 127.0.0.1:PORT} with one server and one backend client per event loop (each keeping up to 64
 * backend connections alive, as the nginx proxy's {@code keepalive 64}), prints {@code READY
 * port=PORT} once it does, and runs until it is killed. {@code TRANSPORT} ({@code auto}, {@code
 * nio}, {@code epoll} or {@code io_uring}, default {@code auto} as the gateway's) is the event
 * loops' transport, so the reference runs on the gateway's.
 */
public final class BareHttpProxy {
  private BareHttpProxy() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3 && args.length != 4) {
      System.err.println("usage: BareHttpProxy PORT BACKEND_PORT EVENT_LOOPS [TRANSPORT]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int backendPort = Integer.parseInt(args[1]);
    int eventLoops = Integer.parseInt(args[2]);
    EventLoopTransport transport =
        EventLoopTransport.named(args.length == 4 ? args[3] : "auto").resolved();
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventLoopPoolSize(eventLoops))
            .withTransport(transport.vertxTransport())
            .build();
    // One verticle instance per event loop: each binds the shared port and has its own client, as
    // the gateway runs one server and one upstream pool per event loop.
    vertx
        .deployVerticle(
            () -> new ProxyVerticle(port, backendPort),
            new DeploymentOptions().setInstances(eventLoops))
        .await(30, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "proxy-stop"));
    System.out.printf(Locale.ROOT, "READY port=%d transport=%s%n", port, transport.setting());
    System.out.flush();
  }

  private static final class ProxyVerticle extends AbstractVerticle {
    private final int port;
    private final int backendPort;

    ProxyVerticle(int port, int backendPort) {
      this.port = port;
      this.backendPort = backendPort;
    }

    @Override
    public void start(Promise<Void> started) {
      HttpClient client =
          vertx.createHttpClient(
              new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
      HttpProxy proxy = HttpProxy.reverseProxy(client).origin(backendPort, "127.0.0.1");
      vertx
          .createHttpServer(
              new HttpServerOptions().setHost("127.0.0.1").setPort(port).setAcceptBacklog(4096))
          .requestHandler(proxy)
          .listen()
          .<Void>mapEmpty()
          .onComplete(started);
    }
  }
}
