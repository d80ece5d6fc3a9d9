package dev.turnpike.gateway.authorizer.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.gateway.authorizer.AuthorizationRequest;
import dev.turnpike.gateway.authorizer.Authorizer;
import dev.turnpike.gateway.function.FunctionEndpoint;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.tracing.TraceHeaders;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway's Lambda authorizer (REST API semantics, and the HTTP API's REQUEST authorizer with
 * payload 2.0): reads the identity, refuses a missing one (401) without a call, asks the function
 * or endpoint, and judges its answer against the call's method ARN.
 *
 * <p>Answers are cached per identity for the configured TTL, a deny as an allow; identical misses
 * in flight at once share one call. A failed call is never cached and never lets the call through:
 * an error, a timeout, a non-2xx answer or a malformed one answer 500 ({@code AUTHORIZER_FAILURE}),
 * a target the egress policy refuses 500 ({@code AUTHORIZER_CONFIGURATION_ERROR}), and a function
 * that fails with the message {@code Unauthorized} 401, as Lambda authorizers signal it.
 */
public final class LambdaAuthorizer implements Authorizer {
  static final String EXPLICIT_DENY =
      "User is not authorized to access this resource with an explicit deny";
  static final String IMPLICIT_DENY = "User is not authorized to access this resource";

  private static final Logger LOG = LoggerFactory.getLogger(LambdaAuthorizer.class);

  /** How an authorizer is asked: the event it gets and how its answer reads. */
  enum Shape {
    TOKEN,
    REQUEST_1_0,
    REQUEST_2_0
  }

  private final String name;
  private final Shape shape;
  private final boolean simpleResponses;
  private final List<IdentitySource> sources;
  private final TokenPattern validation;
  private final FunctionEndpoint endpoint;
  private final AnswerCache cache;
  private final AuthorizerMeters meters;
  private final ConcurrentHashMap<AnswerCache.Key, Future<AuthorizerAnswer>> inFlight =
      new ConcurrentHashMap<>();

  /**
   * @param validation TOKEN only, null for none
   * @param cache null when the TTL is 0
   */
  LambdaAuthorizer(
      String name,
      Shape shape,
      boolean simpleResponses,
      List<IdentitySource> sources,
      TokenPattern validation,
      FunctionEndpoint endpoint,
      AnswerCache cache,
      AuthorizerMeters meters) {
    this.name = name;
    this.shape = shape;
    this.simpleResponses = simpleResponses;
    this.sources = List.copyOf(sources);
    this.validation = validation;
    this.endpoint = endpoint;
    this.cache = cache;
    this.meters = meters;
  }

  @Override
  public Future<Authorization> authorize(AuthorizationRequest call) {
    try {
      return decide(call).recover(failure -> Future.failedFuture(asGatewayFailure(failure, call)));
    } catch (RuntimeException e) {
      return Future.failedFuture(asGatewayFailure(e, call));
    }
  }

  /** The port promises GatewayFailures only: anything else is this authorizer's own bug. */
  private GatewayFailure asGatewayFailure(Throwable failure, AuthorizationRequest call) {
    if (failure instanceof GatewayFailure gatewayFailure) {
      return gatewayFailure;
    }
    LogContext.EMPTY
        .with(LogContext.TENANT, call.tenantId())
        .with(LogContext.REQUEST_ID, call.requestId())
        .run(() -> LOG.error("authorizer {} failed unexpectedly", name, failure));
    return new GatewayFailure(GatewayResponseType.AUTHORIZER_FAILURE);
  }

  private Future<Authorization> decide(AuthorizationRequest call) {
    List<String> identity = identity(call);
    if (identity == null) {
      return Future.failedFuture(new GatewayFailure(GatewayResponseType.UNAUTHORIZED));
    }
    if (validation != null && !validation.matches(identity.getFirst())) {
      return Future.failedFuture(new GatewayFailure(GatewayResponseType.UNAUTHORIZED));
    }
    if (cache == null) {
      meters.miss();
      return ask(call, identity).compose(answer -> judge(answer, call));
    }
    AnswerCache.Key key = AnswerCache.Key.of(identity);
    AuthorizerAnswer cached = cache.get(key);
    if (cached != null) {
      meters.hit();
      return judge(cached, call);
    }
    meters.miss();
    return shared(key, call, identity).compose(answer -> judge(answer, call));
  }

  /** Calls made to the authorizer so far (under this authorizer's tags). */
  public long invocations() {
    return meters.invocations();
  }

  /** Decisions the cache answered so far. */
  public long cacheHits() {
    return meters.hits();
  }

  /** Decisions the cache could not answer so far. */
  public long cacheMisses() {
    return meters.misses();
  }

  /** Every identity source's value, or null when one is missing or empty. */
  private List<String> identity(AuthorizationRequest call) {
    List<String> values = new ArrayList<>(sources.size());
    for (IdentitySource source : sources) {
      String value = source.valueIn(call);
      if (value == null) {
        return null;
      }
      values.add(value);
    }
    return values;
  }

  /**
   * The in-flight call for this identity, or a new one. A caller on another event loop than the one
   * that made the call continues on its own.
   */
  private Future<AuthorizerAnswer> shared(
      AnswerCache.Key key, AuthorizationRequest call, List<String> identity) {
    Promise<AuthorizerAnswer> mine = Promise.promise();
    Future<AuthorizerAnswer> running = inFlight.putIfAbsent(key, mine.future());
    if (running != null) {
      return onOwnContext(running);
    }
    ask(call, identity)
        .onComplete(
            (answer, failure) -> {
              if (failure == null) {
                // Cached before the in-flight entry goes, so no later miss slips between them.
                cache.put(key, answer);
              }
              inFlight.remove(key, mine.future());
              if (failure == null) {
                mine.complete(answer);
              } else {
                mine.fail(failure);
              }
            });
    return mine.future();
  }

  private static <T> Future<T> onOwnContext(Future<T> shared) {
    Context own = Vertx.currentContext();
    if (own == null) {
      return shared;
    }
    Promise<T> local = Promise.promise();
    shared.onComplete(
        result -> {
          if (Vertx.currentContext() == own) {
            local.handle(result);
          } else {
            own.runOnContext(ignored -> local.handle(result));
          }
        });
    return local.future();
  }

  /** Never throws: a shared call that threw would leave its waiters waiting for ever. */
  private Future<AuthorizerAnswer> ask(AuthorizationRequest call, List<String> identity) {
    try {
      return send(call, identity);
    } catch (RuntimeException e) {
      return Future.failedFuture(asGatewayFailure(e, call));
    }
  }

  private Future<AuthorizerAnswer> send(AuthorizationRequest call, List<String> identity) {
    Buffer event =
        switch (shape) {
          case TOKEN -> AuthorizerEvents.token(identity.getFirst(), call.methodArn());
          case REQUEST_1_0 -> AuthorizerEvents.restRequest(call);
          case REQUEST_2_0 -> AuthorizerEvents.httpRequest(call, identity);
        };
    LogContext log =
        LogContext.EMPTY
            .with(LogContext.TENANT, call.tenantId())
            .with(LogContext.REQUEST_ID, call.requestId());
    meters.invoked();
    // An answer is cached and shared: the call that asked carries its own trace context.
    String traceparent = TraceHeaders.traceparent(call.traceparent(), call.request());
    return endpoint
        .invoke(event, log, traceparent, TraceHeaders.tracestate(traceparent, call.request()))
        .recover(failure -> Future.failedFuture(unreachable(failure, call)))
        .compose(invocation -> answerOf(invocation, call));
  }

  private GatewayFailure unreachable(Throwable failure, AuthorizationRequest call) {
    boolean refused =
        failure instanceof GatewayFailure gatewayFailure
            && gatewayFailure.type() == GatewayResponseType.API_CONFIGURATION_ERROR;
    if (refused) {
      // The egress policy said why in the owner's log already.
      return new GatewayFailure(GatewayResponseType.AUTHORIZER_CONFIGURATION_ERROR);
    }
    explain(call, "the call failed: " + failure.getMessage());
    return new GatewayFailure(GatewayResponseType.AUTHORIZER_FAILURE);
  }

  private Future<AuthorizerAnswer> answerOf(
      FunctionEndpoint.Invocation invocation, AuthorizationRequest call) {
    if (invocation.functionError() != null) {
      if (saysUnauthorized(invocation.payload())) {
        return Future.failedFuture(new GatewayFailure(GatewayResponseType.UNAUTHORIZED));
      }
      explain(call, "function error " + invocation.functionError());
      return Future.failedFuture(new GatewayFailure(GatewayResponseType.AUTHORIZER_FAILURE));
    }
    if (invocation.status() < 200 || invocation.status() > 299) {
      explain(call, "the endpoint answered " + invocation.status());
      return Future.failedFuture(new GatewayFailure(GatewayResponseType.AUTHORIZER_FAILURE));
    }
    try {
      return Future.succeededFuture(AuthorizerAnswer.parse(invocation.payload(), simpleResponses));
    } catch (AuthorizerAnswer.Malformed malformed) {
      explain(call, "malformed answer: " + malformed.getMessage());
      return Future.failedFuture(new GatewayFailure(GatewayResponseType.AUTHORIZER_FAILURE));
    }
  }

  /** Lambda authorizers refuse a caller by failing with the message {@code Unauthorized}. */
  private static boolean saysUnauthorized(Buffer payload) {
    try {
      JsonNode error = JsonCodec.mapper().readTree(payload.getBytes());
      return error != null
          && error.isObject()
          && "Unauthorized".equals(error.path("errorMessage").textValue());
    } catch (IOException e) {
      return false;
    }
  }

  private Future<Authorization> judge(AuthorizerAnswer answer, AuthorizationRequest call) {
    AuthorizerAnswer.Verdict verdict;
    try {
      verdict = answer.decide(call.methodArn());
    } catch (Wildcard.TooCostly e) {
      explain(call, "its policy is too costly to evaluate");
      return Future.failedFuture(new GatewayFailure(GatewayResponseType.AUTHORIZER_FAILURE));
    }
    // The HTTP API answers its authorizers' denials with its plain "Forbidden".
    boolean httpApi = shape == Shape.REQUEST_2_0;
    return switch (verdict) {
      case ALLOW ->
          Future.succeededFuture(
              new Authorization(
                  answer.principalId(), Map.of(), answer.context(), answer.usageIdentifierKey()));
      case EXPLICIT_DENY ->
          Future.failedFuture(
              new GatewayFailure(
                  GatewayResponseType.ACCESS_DENIED, httpApi ? null : EXPLICIT_DENY));
      case IMPLICIT_DENY ->
          Future.failedFuture(
              new GatewayFailure(
                  GatewayResponseType.ACCESS_DENIED, httpApi ? null : IMPLICIT_DENY));
    };
  }

  /** The owner's clue to a 500 the client sees only as "Internal server error". */
  private void explain(AuthorizationRequest call, String why) {
    LogContext.EMPTY
        .with(LogContext.TENANT, call.tenantId())
        .with(LogContext.REQUEST_ID, call.requestId())
        .run(
            () ->
                LOG.debug(
                    "authorizer {} of api {} stage {} failed, request {}: {}",
                    name,
                    call.apiId(),
                    call.stage(),
                    call.requestId(),
                    why));
  }
}
