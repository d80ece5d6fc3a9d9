package dev.turnpike.platform.demo;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;

/**
 * Lambda's Invoke API for one handler, as the Runtime Interface Emulator in every AWS Lambda base
 * image serves it: {@code POST /2015-03-31/functions/function/invocations} with the event as the
 * body, the handler's result as the answer. Events are read and results written with AWS's own
 * serializers ({@code aws-lambda-java-serialization}, what Lambda's Java runtime uses), so the
 * handler sees an event exactly as it would in Lambda. A handler that throws, or an event it cannot
 * read, answers as the emulator does: 200 with {@code X-Amz-Function-Error: Unhandled} and an error
 * document.
 */
final class InvokeApi<I, O> implements HttpHandler {
  static final String PATH = "/2015-03-31/functions/function/invocations";

  /** Lambda's limit on a synchronous invocation's payload. */
  static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;

  /** What {@link Context#getRemainingTimeInMillis()} counts down from, as a function's timeout. */
  static final int TIMEOUT_MILLIS = 29_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String functionName;
  private final RequestHandler<I, O> handler;
  private final PojoSerializer<I> events;
  private final PojoSerializer<O> results;

  InvokeApi(
      String functionName, Class<I> eventType, Class<O> resultType, RequestHandler<I, O> handler) {
    this.functionName = functionName;
    this.handler = handler;
    this.events = serializerFor(eventType);
    this.results = serializerFor(resultType);
  }

  /**
   * The serializer Lambda's Java runtime picks: AWS's event serializers for its event classes, its
   * Jackson factory for anything else.
   */
  private static <T> PojoSerializer<T> serializerFor(Class<T> type) {
    if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
      return LambdaEventSerializers.serializerFor(type, InvokeApi.class.getClassLoader());
    }
    return JacksonFactory.getInstance().getSerializer(type);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] event;
      try (InputStream in = exchange.getRequestBody()) {
        event = in.readNBytes(MAX_EVENT_BYTES + 1);
      }
      if (event.length > MAX_EVENT_BYTES) {
        answer(
            exchange,
            413,
            error(
                "RequestEntityTooLargeException",
                "the event is larger than " + MAX_EVENT_BYTES + " bytes"));
        return;
      }
      byte[] result;
      try {
        result = invoke(event);
      } catch (RuntimeException e) {
        exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
        answer(exchange, 200, error(e.getClass().getName(), String.valueOf(e.getMessage())));
        return;
      }
      answer(exchange, 200, result);
    }
  }

  private byte[] invoke(byte[] event) {
    I input = events.fromJson(new ByteArrayInputStream(event));
    O output = handler.handleRequest(input, new Invocation(functionName, System.nanoTime()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    results.toJson(output, out);
    return out.toByteArray();
  }

  private static byte[] error(String type, String message) {
    ObjectNode error = JSON.createObjectNode().put("errorMessage", message).put("errorType", type);
    try {
      return JSON.writeValueAsBytes(error);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The part of Lambda's context a handler may ask the emulator for. */
  private record Invocation(String functionName, long startedNanos, String awsRequestId)
      implements Context {
    Invocation(String functionName, long startedNanos) {
      this(functionName, startedNanos, UUID.randomUUID().toString());
    }

    @Override
    public String getAwsRequestId() {
      return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
      return "turnpike-demo";
    }

    @Override
    public String getFunctionName() {
      return functionName;
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      long spent = (System.nanoTime() - startedNanos) / 1_000_000;
      return (int) Math.max(0, TIMEOUT_MILLIS - spent);
    }

    @Override
    public int getMemoryLimitInMB() {
      return 128;
    }

    @Override
    public LambdaLogger getLogger() {
      // The demo's handler logs nothing; the launcher's console is the user's, not the function's.
      return new LambdaLogger() {
        @Override
        public void log(String message) {}

        @Override
        public void log(byte[] message) {}
      };
    }
  }
}
