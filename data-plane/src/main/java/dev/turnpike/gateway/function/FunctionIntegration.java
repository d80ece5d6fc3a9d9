package dev.turnpike.gateway.function;

import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.gateway.integration.BinaryMediaTypes;
import dev.turnpike.gateway.integration.HopByHopHeaders;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.integration.IntegrationResult;
import dev.turnpike.gateway.integration.WholeBody;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway's Lambda proxy integration ({@code aws_proxy}): the client's request becomes the
 * proxy event of the route's payload format, the function's answer becomes the response. Bodies are
 * held whole, as Lambda's are, and bounded by its 6 MB payload limit: a larger request answers 413
 * before the function is called, a larger answer 502.
 *
 * <p>Failures answer as API Gateway's do: a function error ({@code X-Amz-Function-Error}), an
 * answer that is no proxy response or an Invoke API error 502 {@code Internal server error}; the
 * deadline 504 {@code Endpoint request timed out}; an endpoint that cannot be reached 504 {@code
 * Network error communicating with endpoint}; a target the egress policy refuses 500.
 */
public final class FunctionIntegration implements Integration {
  /** Bodies past this size are encoded and parsed on a worker, not on the event loop. */
  static final int INLINE_JSON_BYTES = 256 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(FunctionIntegration.class);

  private final String functionName;
  private final FunctionEndpoint endpoint;
  private final FunctionRoute route;
  private final BinaryMediaTypes binaryTypes;
  private final boolean httpApi;

  /**
   * @throws IllegalArgumentException for a payload format other than 1.0 and 2.0
   */
  public FunctionIntegration(
      FunctionTarget target, FunctionEndpoint endpoint, FunctionRoute route) {
    this.httpApi =
        switch (target.payloadFormatVersion()) {
          case FunctionTarget.PAYLOAD_1_0 -> false;
          case FunctionTarget.PAYLOAD_2_0 -> true;
          default ->
              throw new IllegalArgumentException(
                  "payloadFormatVersion must be 1.0 or 2.0, was " + target.payloadFormatVersion());
        };
    this.functionName = target.name();
    this.endpoint = endpoint;
    this.route = route;
    this.binaryTypes = new BinaryMediaTypes(route.binaryMediaTypes());
  }

  @Override
  public Future<IntegrationResult> serve(IntegrationCall call) {
    long now = System.currentTimeMillis();
    return WholeBody.read(call, FunctionEndpoint.MAX_PAYLOAD_BYTES)
        .compose(body -> offloadIfLarge(body.length(), () -> event(call, body, now)))
        .compose(event -> endpoint.invoke(event, call))
        .compose(
            invocation ->
                offloadIfLarge(invocation.payload().length(), () -> reply(invocation, call)))
        .compose(reply -> respond(call, reply));
  }

  private Buffer event(IntegrationCall call, Buffer body, long now) {
    ProxyRequest request = new ProxyRequest(call, route, binaryTypes, body, now);
    Buffer event = httpApi ? ProxyEvents.httpApi(request) : ProxyEvents.restApi(request);
    if (event.length() > FunctionEndpoint.MAX_PAYLOAD_BYTES) {
      throw new GatewayFailure(GatewayResponseType.REQUEST_TOO_LARGE);
    }
    return event;
  }

  private FunctionReply reply(FunctionEndpoint.Invocation invocation, IntegrationCall call) {
    String problem;
    if (invocation.functionError() != null) {
      problem = "function error " + invocation.functionError();
    } else if (invocation.status() != 200) {
      problem = "Invoke API answered " + invocation.status();
    } else {
      try {
        return FunctionReply.parse(invocation.payload(), httpApi);
      } catch (FunctionReply.Malformed malformed) {
        problem = "malformed proxy response: " + malformed.getMessage();
      }
    }
    String why = problem;
    // The owner's clue to a 502 the client sees only as "Internal server error".
    call.log()
        .run(
            () ->
                LOG.debug(
                    "function {} of {} failed, request {}: {}",
                    functionName,
                    route.routeKey(),
                    call.requestId(),
                    why));
    throw new GatewayFailure(GatewayResponseType.FUNCTION_FAILURE);
  }

  private static <T> Future<T> offloadIfLarge(int bytes, Callable<T> work) {
    if (bytes <= INLINE_JSON_BYTES) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return Vertx.currentContext().executeBlocking(work, false);
  }

  private static Future<IntegrationResult> respond(IntegrationCall call, FunctionReply reply) {
    HttpServerResponse out = call.request().response();
    out.setStatusCode(reply.status());
    HopByHopHeaders.copyEndToEnd(reply.headers(), out.headers());
    // The gateway frames the body it sends; a length the function claims is not that.
    out.headers().remove("content-length");
    IntegrationResult result = new IntegrationResult(reply.status(), reply.body().length());
    call.tap().write(reply.body());
    call.tap().end();
    return out.end(reply.body()).map(result);
  }
}
