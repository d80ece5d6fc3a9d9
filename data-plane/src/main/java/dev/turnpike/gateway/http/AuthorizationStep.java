package dev.turnpike.gateway.http;

import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.gateway.authorizer.AuthorizationRequest;
import dev.turnpike.gateway.authorizer.RouteAuthorizer;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.runtime.RouteRuntime;
import dev.turnpike.gateway.runtime.StageRuntime;
import dev.turnpike.gateway.tracing.RequestTrace;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 4 of the chain for a route with an authorizer: asks it about the caller and brings its
 * answer back to the request's event loop. An authorizer that fails in a way its contract does not
 * allow (an exception, a failure that is no {@link GatewayFailure}) is the authorizer's fault:
 * AUTHORIZER_FAILURE, logged once, and the backend is never called.
 */
final class AuthorizationStep {
  /**
   * The region and account of the method ARNs Lambda authorizers' policies are matched against: the
   * account is the tenant, there is no AWS region.
   */
  static final String ARN_PREFIX = "arn:aws:execute-api:turnpike:";

  private static final Logger LOG = LoggerFactory.getLogger(AuthorizationStep.class);

  private AuthorizationStep() {}

  /** The authorizer's answer, completed on the request's own context. */
  static Future<Authorization> authorize(Exchange exchange, RouteAuthorizer authorizer) {
    Span span =
        exchange.trace == null ? null : exchange.trace.startChild("authorizer", SpanKind.CLIENT);
    Future<Authorization> answer;
    try {
      answer =
          authorizer.authorize(
              requestOf(exchange, span == null ? null : RequestTrace.traceparentOf(span)));
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    if (span != null) {
      answer = answer.andThen(result -> endSpan(span, result.failed()));
    }
    Context own = Vertx.currentContext();
    if (answer.isComplete() || own == null) {
      return answer;
    }
    Promise<Authorization> here = Promise.promise();
    answer.onComplete(
        result -> {
          if (Vertx.currentContext() == own) {
            here.handle(result);
          } else {
            own.runOnContext(ignored -> here.handle(result));
          }
        });
    return here.future();
  }

  /** The failure to answer the client for an authorizer's {@code error}. */
  static GatewayFailure failureOf(Exchange exchange, Throwable error) {
    if (error instanceof GatewayFailure failure) {
      return failure;
    }
    exchange
        .logContext()
        .run(
            () ->
                LOG.error(
                    "authorizer of {} failed outside its contract, request {}",
                    exchange.route.routeKey(),
                    exchange.requestIdText,
                    error));
    return new GatewayFailure(GatewayResponseType.AUTHORIZER_FAILURE);
  }

  /** The authorizer's span; a refusal is the caller's answer, a failure the authorizer's error. */
  private static void endSpan(Span span, boolean failed) {
    if (failed) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  private static AuthorizationRequest requestOf(Exchange exchange, String traceparent) {
    StageRuntime stage = exchange.stage;
    RouteRuntime route = exchange.route;
    String method = exchange.request.method().name();
    return new AuthorizationRequest(
        exchange.request,
        stage.tenantId(),
        stage.apiId(),
        stage.stage(),
        method,
        route.resourcePath(),
        exchange.pathParameters,
        stage.deployment().stageVariables(),
        exchange.requestIdText,
        exchange.forwarding().clientAddress(),
        methodArn(stage, method, exchange.stagePath),
        exchange.startEpochMillis,
        exchange.clientCert,
        traceparent);
  }

  /** {@code arn:aws:execute-api:turnpike:{tenant}:{apiId}/{stage}/{METHOD}/{path}}. */
  static String methodArn(StageRuntime stage, String method, String stagePath) {
    return ARN_PREFIX
        + stage.tenantId()
        + ':'
        + stage.apiId()
        + '/'
        + stage.stage()
        + '/'
        + method
        + stagePath;
  }
}
