package dev.turnpike.testkit.function;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A function endpoint for tests: serves Lambda's Invoke API ({@code POST
 * /2015-03-31/functions/function/invocations}, as the Runtime Interface Emulator in every Lambda
 * base image does) on a loopback port chosen by the system, and runs an ordinary Lambda handler.
 *
 * <p>Events are read and results written with AWS's own serialization ({@code
 * aws-lambda-java-serialization}, what the Java runtime uses), so an event the gateway shapes
 * wrongly reaches the handler with its fields missing, as it would in Lambda. A handler that throws
 * answers as the emulator does: 200 with {@code X-Amz-Function-Error: Unhandled} and an error
 * document. Each invocation runs on its own virtual thread, so a slow handler holds up nobody.
 */
public final class FunctionHost implements AutoCloseable {
  public static final String INVOKE_PATH = "/2015-03-31/functions/function/invocations";

  /** What the endpoint answers an invocation with, for answers no handler would produce. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {
    public static Answer ok(String body) {
      return new Answer(200, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Computes the answer to one raw event (the request body the endpoint received). */
  @FunctionalInterface
  public interface Endpoint {
    Answer invoke(byte[] event) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final List<String> events = new CopyOnWriteArrayList<>();

  private FunctionHost(Endpoint endpoint) throws IOException {
    threads = Executors.newVirtualThreadPerTaskExecutor();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", exchange -> serve(exchange, endpoint));
    server.start();
  }

  /** Runs {@code handler} for every invocation, as Lambda's Java runtime would. */
  public static <I, O> FunctionHost serving(
      Class<I> eventType, Class<O> resultType, RequestHandler<I, O> handler) throws IOException {
    PojoSerializer<I> in = serializerFor(eventType);
    PojoSerializer<O> out = serializerFor(resultType);
    return new FunctionHost(
        event -> {
          O result;
          try {
            result =
                handler.handleRequest(
                    in.fromJson(new String(event, StandardCharsets.UTF_8)), new TestContext());
          } catch (RuntimeException e) {
            return unhandled(e);
          }
          ByteArrayOutputStream body = new ByteArrayOutputStream();
          out.toJson(result, body);
          return new Answer(200, Map.of(), body.toByteArray());
        });
  }

  /** Answers every invocation as {@code endpoint} says, for malformed or unusual answers. */
  public static FunctionHost answering(Endpoint endpoint) throws IOException {
    return new FunctionHost(endpoint);
  }

  /** {@code http://127.0.0.1:port}: what a function registration's {@code invokeUrl} holds. */
  public String invokeUrl() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The raw events received so far, oldest first. */
  public List<String> events() {
    return List.copyOf(events);
  }

  /**
   * The serializer Lambda's Java runtime picks: AWS's event serializers for its event classes, its
   * Jackson factory for anything else (a String or a Map result).
   */
  static <T> PojoSerializer<T> serializerFor(Class<T> type) {
    if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
      return LambdaEventSerializers.serializerFor(type, FunctionHost.class.getClassLoader());
    }
    return JacksonFactory.getInstance().getSerializer(type);
  }

  private static Answer unhandled(RuntimeException e) {
    String body =
        "{\"errorMessage\":\""
            + String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "\\\"")
            + "\",\"errorType\":\""
            + e.getClass().getName()
            + "\"}";
    return new Answer(
        200, Map.of("X-Amz-Function-Error", "Unhandled"), body.getBytes(StandardCharsets.UTF_8));
  }

  private void serve(HttpExchange exchange, Endpoint endpoint) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())
          || !INVOKE_PATH.equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] event;
      try (InputStream in = exchange.getRequestBody()) {
        event = in.readAllBytes();
      }
      events.add(new String(event, StandardCharsets.UTF_8));
      Answer answer;
      try {
        answer = endpoint.invoke(event);
      } catch (Exception e) {
        answer = unhandled(e instanceof RuntimeException r ? r : new RuntimeException(e));
      }
      answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.getResponseHeaders().putIfAbsent("Content-Type", List.of("application/json"));
      exchange.sendResponseHeaders(
          answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    } catch (IOException e) {
      // The caller went away (a gateway that timed out): nothing to answer.
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /** The little of Lambda's context a test handler may ask for. */
  private static final class TestContext implements com.amazonaws.services.lambda.runtime.Context {
    private final String requestId = UUID.randomUUID().toString();

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/test";
    }

    @Override
    public String getLogStreamName() {
      return "test";
    }

    @Override
    public String getFunctionName() {
      return "test";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:000000000000:function:test";
    }

    @Override
    public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 29_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 128;
    }

    @Override
    public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
      return new com.amazonaws.services.lambda.runtime.LambdaLogger() {
        @Override
        public void log(String message) {}

        @Override
        public void log(byte[] message) {}
      };
    }
  }
}
