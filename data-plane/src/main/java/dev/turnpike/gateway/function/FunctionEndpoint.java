package dev.turnpike.gateway.function;

import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.tracing.TraceHeaders;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.Map;

/**
 * One function's Invoke API, {@code POST {invokeUrl}/2015-03-31/functions/function/invocations},
 * called on the tenant's upstream pool through the egress policy. An invocation has one deadline
 * for everything (admission, connect, the function's run, its answer); past it the exchange is
 * reset and the client gets 504. The answer is read whole but never past {@link
 * #MAX_PAYLOAD_BYTES}. Everything runs in callbacks on the request's event loop.
 */
public final class FunctionEndpoint {
  /** Lambda's synchronous invocation limit, for the event and for the answer alike: 6 MB. */
  public static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

  static final String INVOKE_PATH = "/2015-03-31/functions/function/invocations";

  /** What the endpoint answered: its status, its {@code X-Amz-Function-Error}, its payload. */
  public record Invocation(int status, String functionError, Buffer payload) {}

  private final HttpClient client;
  private final EgressAdmission admission;
  private final RequestOptions template;
  private final long timeoutMillis;
  private final int maxPayloadBytes;

  /**
   * @throws IllegalArgumentException when the target's invoke URL is not a literal http(s) origin
   */
  public FunctionEndpoint(
      HttpClient client,
      EgressAdmission admission,
      FunctionTarget target,
      long connectTimeoutMillis,
      long timeoutMillis) {
    this(
        client,
        admission,
        requestTemplate(invocationsUrl(target.invokeUrl()), connectTimeoutMillis, timeoutMillis),
        timeoutMillis,
        MAX_PAYLOAD_BYTES);
  }

  private FunctionEndpoint(
      HttpClient client,
      EgressAdmission admission,
      RequestOptions template,
      long timeoutMillis,
      int maxPayloadBytes) {
    this.client = client;
    this.admission = admission;
    this.template = template;
    this.timeoutMillis = timeoutMillis;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /**
   * An endpoint that takes events by POST at {@code url} itself (a function's {@link
   * #invocationsUrl(String)}, or a plain endpoint speaking the same JSON, as Lambda-style
   * authorizers may use), with answers bounded by {@code maxPayloadBytes}.
   *
   * @throws IllegalArgumentException when {@code url} is not a literal http(s) URL
   */
  public static FunctionEndpoint posting(
      HttpClient client,
      EgressAdmission admission,
      String url,
      long connectTimeoutMillis,
      long timeoutMillis,
      int maxPayloadBytes) {
    String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new IllegalArgumentException("an endpoint URL must be http(s): " + url);
    }
    if (url.contains("${") || url.contains("#")) {
      throw new IllegalArgumentException("an endpoint URL must be literal: " + url);
    }
    return new FunctionEndpoint(
        client,
        admission,
        requestTemplate(url, connectTimeoutMillis, timeoutMillis),
        timeoutMillis,
        Math.min(maxPayloadBytes, MAX_PAYLOAD_BYTES));
  }

  /** The URL invocations go to, for a literal {@code invokeUrl}. */
  public static String invocationsUrl(String invokeUrl) {
    if (invokeUrl == null || invokeUrl.isBlank()) {
      throw new IllegalArgumentException("a function needs an invokeUrl");
    }
    String lower = invokeUrl.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new IllegalArgumentException("a function's invokeUrl must be http(s): " + invokeUrl);
    }
    if (invokeUrl.contains("${") || invokeUrl.contains("?") || invokeUrl.contains("#")) {
      throw new IllegalArgumentException(
          "a function's invokeUrl must be a literal origin and path: " + invokeUrl);
    }
    String base =
        invokeUrl.endsWith("/") ? invokeUrl.substring(0, invokeUrl.length() - 1) : invokeUrl;
    return base + INVOKE_PATH;
  }

  private static RequestOptions requestTemplate(
      String url, long connectTimeoutMillis, long timeoutMillis) {
    RequestOptions options;
    try {
      options = new RequestOptions().setAbsoluteURI(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("an endpoint URL does not parse: " + url);
    }
    return options
        .setMethod(HttpMethod.POST)
        .setConnectTimeout(connectTimeoutMillis)
        .setIdleTimeout(timeoutMillis)
        .setFollowRedirects(false)
        .putHeader("Content-Type", "application/json");
  }

  long timeoutMillis() {
    return timeoutMillis;
  }

  /** Invokes the function with {@code event}; fails only with a {@link GatewayFailure}. */
  public Future<Invocation> invoke(Buffer event, LogContext log) {
    return invoke(event, Map.of(), log, null, null);
  }

  /** Invokes the function for an integration call, with its log fields and trace context. */
  public Future<Invocation> invoke(Buffer event, IntegrationCall call) {
    String parent = call.outgoingTraceparent();
    return invoke(
        event, Map.of(), call.log(), parent, TraceHeaders.tracestate(parent, call.request()));
  }

  /**
   * Invokes the function with {@code event}, with W3C trace context (as Lambda hands a function its
   * {@code X-Amzn-Trace-Id}); fails only with a {@link GatewayFailure}.
   *
   * @param traceparent null for none, then {@code tracestate} is not sent either
   */
  public Future<Invocation> invoke(
      Buffer event, LogContext log, String traceparent, String tracestate) {
    return invoke(event, Map.of(), log, traceparent, tracestate);
  }

  /**
   * Invokes the endpoint with {@code event} and {@code headers} besides its own (a WebSocket
   * route's connection id, for a plain endpoint); fails only with a {@link GatewayFailure}.
   */
  public Future<Invocation> invoke(Buffer event, Map<String, String> headers, LogContext log) {
    return invoke(event, headers, log, null, null);
  }

  /**
   * Invokes the endpoint with {@code event}, {@code headers} besides its own and W3C trace context;
   * fails only with a {@link GatewayFailure}.
   *
   * @param traceparent null for none, then {@code tracestate} is not sent either
   */
  public Future<Invocation> invoke(
      Buffer event,
      Map<String, String> headers,
      LogContext log,
      String traceparent,
      String tracestate) {
    Context context = Vertx.currentContext();
    Exchange exchange = new Exchange();
    long deadline =
        context
            .owner()
            .setTimer(
                timeoutMillis,
                ignored ->
                    exchange.fail(new GatewayFailure(GatewayResponseType.INTEGRATION_TIMEOUT)));
    RequestOptions options = new RequestOptions(template);
    headers.forEach(options::putHeader);
    if (traceparent != null) {
      options.putHeader(TraceHeaders.TRACEPARENT, traceparent);
      if (tracestate != null) {
        options.putHeader(TraceHeaders.TRACESTATE, tracestate);
      }
    }
    admission
        .admit(options, log)
        .onComplete(
            (server, refusal) -> {
              if (refusal != null) {
                exchange.fail(refusal);
              } else if (!exchange.done.future().isComplete()) {
                send(options.setServer(server), event, exchange);
              }
            });
    return exchange.done.future().onComplete(ignored -> context.owner().cancelTimer(deadline));
  }

  private void send(RequestOptions options, Buffer event, Exchange exchange) {
    client
        .request(options)
        .onComplete(
            (request, connectError) -> {
              if (connectError != null) {
                exchange.fail(networkFailure(connectError));
                return;
              }
              exchange.request = request;
              if (exchange.done.future().isComplete()) {
                request.reset();
                return;
              }
              request
                  .send(event)
                  .onComplete(
                      (response, sendError) -> {
                        if (sendError != null) {
                          exchange.fail(networkFailure(sendError));
                        } else {
                          read(response, exchange);
                        }
                      });
            });
  }

  private void read(HttpClientResponse response, Exchange exchange) {
    String declared = response.getHeader("content-length");
    if (declared != null && declaredTooLarge(declared, maxPayloadBytes)) {
      exchange.fail(new GatewayFailure(GatewayResponseType.FUNCTION_FAILURE));
      return;
    }
    Buffer payload = Buffer.buffer();
    response.handler(
        chunk -> {
          if (payload.length() + chunk.length() > maxPayloadBytes) {
            exchange.fail(new GatewayFailure(GatewayResponseType.FUNCTION_FAILURE));
          } else if (!exchange.done.future().isComplete()) {
            payload.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(error -> exchange.fail(networkFailure(error)));
    response.endHandler(
        ignored ->
            exchange.done.tryComplete(
                new Invocation(
                    response.statusCode(), response.getHeader("X-Amz-Function-Error"), payload)));
  }

  private static boolean declaredTooLarge(String contentLength, int maxPayloadBytes) {
    try {
      return Long.parseLong(contentLength.trim()) > maxPayloadBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static GatewayFailure networkFailure(Throwable error) {
    if (error instanceof GatewayFailure failure) {
      return failure;
    }
    if (error instanceof java.util.concurrent.TimeoutException) {
      return new GatewayFailure(GatewayResponseType.INTEGRATION_TIMEOUT);
    }
    return new GatewayFailure(GatewayResponseType.INTEGRATION_FAILURE);
  }

  /** One invocation's state; touched only on the request's event loop. */
  private static final class Exchange {
    final Promise<Invocation> done = Promise.promise();
    HttpClientRequest request;

    /** Ends the invocation once; a request still under way is reset, its connection dropped. */
    void fail(Throwable failure) {
      if (done.tryFail(failure) && request != null) {
        request.reset();
      }
    }
  }
}
