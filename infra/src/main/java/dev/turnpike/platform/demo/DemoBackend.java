package dev.turnpike.platform.demo;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.turnpike.platform.PlatformException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The small HTTP service behind the demo API, so the tour has something real to call through the
 * gateway: {@code GET /hello} greets, {@code /echo} (any method) answers with what it received,
 * which shows what the gateway forwards (method, path, query, headers, body). It also serves the
 * demo function, {@link DemoFunction} under the name {@value #FUNCTION}, through Lambda's Invoke
 * API ({@link InvokeApi#PATH}), as a Lambda container image would on its port.
 */
public final class DemoBackend implements AutoCloseable {
  /** Requests larger than this are refused: the echo is for demos, not for uploads. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  /** The Lambda function name the demo function is registered under. */
  public static final String FUNCTION = "greeter";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;

  private DemoBackend(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static DemoBackend start(String host, int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      server.setExecutor(executor);
      server.createContext("/hello", DemoBackend::hello);
      server.createContext("/echo", DemoBackend::echo);
      server.createContext(
          InvokeApi.PATH,
          new InvokeApi<>(
              FUNCTION,
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              new DemoFunction()));
      server.start();
      return new DemoBackend(server, executor);
    } catch (IOException e) {
      throw new PlatformException(
          "the demo backend cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void hello(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        respond(exchange, 405, JSON.createObjectNode().put("message", "use GET"));
        return;
      }
      String name = queryParameter(exchange.getRequestURI().getRawQuery(), "name");
      respond(
          exchange,
          200,
          JSON.createObjectNode()
              .put("message", "Hello, " + (name == null ? "world" : name) + "!")
              .put("servedBy", "turnpike demo backend")
              .put("time", Instant.now().toString()));
    }
  }

  private static void echo(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        respond(
            exchange,
            413,
            JSON.createObjectNode()
                .put("message", "body larger than " + MAX_BODY_BYTES + " bytes"));
        return;
      }
      ObjectNode answer = JSON.createObjectNode();
      answer.put("method", exchange.getRequestMethod());
      answer.put("path", exchange.getRequestURI().getRawPath());
      answer.put("query", exchange.getRequestURI().getRawQuery());
      ObjectNode headers = answer.putObject("headers");
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        headers.put(
            header.getKey().toLowerCase(java.util.Locale.ROOT),
            String.join(", ", header.getValue()));
      }
      answer.put("body", new String(body, StandardCharsets.UTF_8));
      respond(exchange, 200, answer);
    }
  }

  /** The body, or null if it is larger than {@link #MAX_BODY_BYTES}. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    return body.length > MAX_BODY_BYTES ? null : body;
  }

  private static String queryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).equals(name)) {
        return java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void respond(HttpExchange exchange, int status, ObjectNode body)
      throws IOException {
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
