package dev.turnpike.testkit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reverse proxy on a loopback port that forwards every request, unchanged, to one server and
 * remembers what passed through it: a stand-in for the public entrance of a deployment (a port
 * mapping, an ingress), so a test can give browsers another address than services and then see
 * which calls took the public road. Redirects are passed back, never followed.
 */
public final class RecordingProxy implements AutoCloseable {
  /** Headers that belong to one connection, or that the JDK client sets itself. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "content-length",
          "date",
          "expect",
          "from",
          "host",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "via",
          "warning");

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private volatile URI target;

  private RecordingProxy(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** Listens on a free loopback port; requests get 503 until {@link #forwardTo} names a server. */
  public static RecordingProxy start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      RecordingProxy proxy = new RecordingProxy(server, executor);
      server.createContext("/", proxy::forward);
      server.setExecutor(executor);
      server.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the proxy", e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Where requests go from now on: scheme, host and port, e.g. {@code http://127.0.0.1:1234}. */
  public void forwardTo(String baseUrl) {
    target = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
  }

  /** Every request so far as {@code METHOD /path} (the query left out), in arrival order. */
  public List<String> requests() {
    return List.copyOf(seen);
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI requested = exchange.getRequestURI();
      seen.add(exchange.getRequestMethod() + " " + requested.getRawPath());
      URI to = target;
      if (to == null) {
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      HttpResponse<byte[]> answer = send(exchange, to.resolve(relative(requested)));
      answer
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!name.startsWith(":") && !HOP_BY_HOP.contains(lower(name))) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] body = answer.body();
      boolean empty =
          body.length == 0
              || exchange.getRequestMethod().equals("HEAD")
              || answer.statusCode() == 204
              || answer.statusCode() == 304;
      exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : body.length);
      if (!empty) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private HttpResponse<byte[]> send(HttpExchange exchange, URI to) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(to)
            .timeout(Duration.ofSeconds(30))
            .method(
                exchange.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(lower(name))) {
                values.forEach(value -> request.header(name, value));
              }
            });
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forwarding to " + to, e);
    }
  }

  private static String relative(URI requested) {
    String path = requested.getRawPath().substring(1);
    return requested.getRawQuery() == null ? path : path + "?" + requested.getRawQuery();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
    client.close();
  }
}
