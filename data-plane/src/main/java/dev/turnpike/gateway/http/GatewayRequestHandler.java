package dev.turnpike.gateway.http;

import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.gateway.authorizer.RouteAuthorizer;
import dev.turnpike.gateway.compression.RequestDecompression;
import dev.turnpike.gateway.compression.ResponseCompression;
import dev.turnpike.gateway.forwarding.TrustedProxies;
import dev.turnpike.gateway.integration.CountingReadStream;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.integration.IntegrationResult;
import dev.turnpike.gateway.integration.RequestBodies;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.response.GatewayResponses;
import dev.turnpike.gateway.routing.GatewayAddress;
import dev.turnpike.gateway.routing.GatewayAddressParser;
import dev.turnpike.gateway.routing.PathSafety;
import dev.turnpike.gateway.routing.RouteMatch;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.RouteRuntime;
import dev.turnpike.gateway.runtime.StageRuntime;
import dev.turnpike.gateway.sourceip.SourceAddressRules;
import dev.turnpike.gateway.template.GatewayResponseTemplates;
import dev.turnpike.gateway.usage.UsageEventSink;
import dev.turnpike.gateway.validation.BufferedBody;
import dev.turnpike.gateway.validation.RequestCheck;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's request chain: address, stage, route, authorizer, key, throttles, quota,
 * integration. Each step either passes the exchange on or ends it with a {@link GatewayFailure};
 * one place at the end turns the outcome into the response, the metrics, the access log line and
 * the usage event. Runs on an event loop: nothing here blocks or takes a lock. Admission is
 * synchronous for a route without an authorizer; a route with one waits for its answer between the
 * route match and the key, its request body still paused.
 */
public final class GatewayRequestHandler implements Handler<HttpServerRequest> {
  public static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

  /** API Gateway's answer to a caller a resource policy refuses. */
  static final String EXPLICIT_DENY =
      "User is not authorized to access this resource with an explicit deny";

  private static final Logger LOG = LoggerFactory.getLogger(GatewayRequestHandler.class);

  private final Supplier<GatewayRuntime> runtime;
  private final GatewayAddressParser addresses;
  private final LocalQuotaCounter quotas;
  private final UsageEventSink usage;
  private final AccessLog accessLog;
  private final long maxBodyBytes;
  private final long maxValidatedBodyBytes;
  private final TrustedProxies trustedProxies;
  private final String nodeId;
  private final Clock clock;

  public GatewayRequestHandler(
      Supplier<GatewayRuntime> runtime,
      GatewayAddressParser addresses,
      LocalQuotaCounter quotas,
      UsageEventSink usage,
      AccessLog accessLog,
      long maxBodyBytes,
      long maxValidatedBodyBytes,
      TrustedProxies trustedProxies,
      String nodeId,
      Clock clock) {
    this.runtime = runtime;
    this.addresses = addresses;
    this.quotas = quotas;
    this.usage = usage;
    this.accessLog = accessLog;
    this.maxBodyBytes = maxBodyBytes;
    this.maxValidatedBodyBytes = Math.min(maxBodyBytes, maxValidatedBodyBytes);
    this.trustedProxies = trustedProxies;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  @Override
  public void handle(HttpServerRequest request) {
    // A body is read by the integration, if at all; nothing may be lost before it gets there.
    boolean mayHaveBody = RequestBodies.hasBody(request);
    if (mayHaveBody) {
      request.pause();
    }
    long nowMillis = clock.millis();
    Exchange exchange =
        new Exchange(request, RequestIds.next(), System.nanoTime(), nowMillis, trustedProxies);
    exchange.bodyPaused = mayHaveBody;
    HttpServerResponse response = request.response();
    response.putHeader(REQUEST_ID_HEADER, exchange.requestIdText);
    // Step 10's compression is decided as the head goes out, when the stage and the answer are
    // known. The listener's compressor encodes nothing for a client that accepts no encoding, so
    // only a request that names one needs the decision.
    if (request.headers().contains(HttpHeaders.ACCEPT_ENCODING)) {
      response.headersEndHandler(
          ignored ->
              ResponseCompression.chooseEncoding(
                  request, response, exchange.stage == null ? null : exchange.stage.compression()));
    }
    GatewayRuntime current = runtime.get();
    RouteAuthorizer authorizer;
    try {
      authorizer = route(exchange, current);
      if (authorizer == null) {
        // Without an authorizer the whole admission stays synchronous, as it was before them.
        admitCaller(exchange, current, nowMillis);
      }
    } catch (GatewayFailure failure) {
      fail(exchange, failure);
      return;
    }
    if (authorizer == null) {
      serve(exchange);
    } else {
      authorizeThenServe(exchange, authorizer, current, nowMillis);
    }
  }

  /** Steps 2 and 3: the stage and the route; returns the route's authorizer, null for none. */
  private RouteAuthorizer route(Exchange exchange, GatewayRuntime current) {
    HttpServerRequest request = exchange.request;
    exchange.bytesIn = declaredLength(request);
    if (exchange.bytesIn > maxBodyBytes) {
      throw new GatewayFailure(GatewayResponseType.REQUEST_TOO_LARGE);
    }
    String path = request.path();
    String unsafe = path == null ? null : PathSafety.problem(path);
    if (unsafe != null) {
      throw new GatewayFailure(GatewayResponseType.BAD_REQUEST_PARAMETERS, unsafe);
    }
    String host = request.authority() == null ? null : request.authority().host();
    GatewayAddress address = addresses.parse(host, path).orElse(null);
    if (address == null) {
      throw new GatewayFailure(GatewayResponseType.MISSING_AUTHENTICATION_TOKEN);
    }
    StageRuntime stage = current.stage(address.tenant(), address.api(), address.stage());
    if (stage == null) {
      throw new GatewayFailure(GatewayResponseType.ACCESS_DENIED);
    }
    exchange.stage = stage;
    exchange.stagePath = address.path();
    // The resource policy: before the route, its authorizer and its key, as API Gateway does.
    SourceAddressRules sourceRules = stage.sourceRules();
    if (sourceRules != null && !sourceRules.admits(exchange.forwarding().clientAddress())) {
      throw new GatewayFailure(GatewayResponseType.ACCESS_DENIED, EXPLICIT_DENY);
    }
    RouteMatch<RouteRuntime> match = stage.routes().match(request.method().name(), address.path());
    RouteRuntime route =
        switch (match) {
          case RouteMatch.Found<RouteRuntime> found -> {
            exchange.pathParameters = found.pathParameters();
            exchange.greedyParameter = found.greedyParameter();
            yield found.value();
          }
          case RouteMatch.NotFound<RouteRuntime> notFound ->
              throw new GatewayFailure(GatewayResponseType.MISSING_AUTHENTICATION_TOKEN);
          case RouteMatch.MalformedPath<RouteRuntime> malformed ->
              throw new GatewayFailure(
                  GatewayResponseType.BAD_REQUEST_PARAMETERS, malformed.reason());
        };
    exchange.route = route;
    return route.authorizer();
  }

  /**
   * Step 4's authorizer, then the rest of the admission once it has answered; its refusal ends the
   * exchange as any other failure (an owner-overridable gateway response).
   */
  private void authorizeThenServe(
      Exchange exchange, RouteAuthorizer authorizer, GatewayRuntime current, long nowMillis) {
    AuthorizationStep.authorize(exchange, authorizer)
        .onComplete(
            (authorization, error) -> {
              if (error != null) {
                fail(exchange, AuthorizationStep.failureOf(exchange, error));
                return;
              }
              exchange.authorization = authorization;
              try {
                admitCaller(exchange, current, nowMillis);
              } catch (GatewayFailure failure) {
                fail(exchange, failure);
                return;
              }
              serve(exchange);
            });
  }

  /** Step 4's API key, step 5's throttles, in-flight limit and quota, step 6's parameters. */
  private void admitCaller(Exchange exchange, GatewayRuntime current, long nowMillis) {
    StageRuntime stage = exchange.stage;
    RouteRuntime route = exchange.route;
    if (route.apiKeyRequired()) {
      KeyAdmission.admit(exchange, current, stage, nowMillis);
    }
    Throttles.admit(exchange, stage, route);
    // Before the quota, which metering counts only for calls that were let through: a call turned
    // away here must not use up the key's quota. finish() gives the slot back on every path.
    if (!stage.inFlight().tryEnter()) {
      throw new GatewayFailure(GatewayResponseType.THROTTLED);
    }
    exchange.inFlight = stage.inFlight();
    if (exchange.plan != null && exchange.plan.quota() != null) {
      String counter = exchange.key.quotaCounter(exchange.plan);
      if (!quotas.tryAcquire(counter, exchange.plan.quota(), nowMillis)) {
        throw new GatewayFailure(GatewayResponseType.QUOTA_EXCEEDED);
      }
    }
    if (route.integration() == null) {
      throw new GatewayFailure(GatewayResponseType.API_CONFIGURATION_ERROR);
    }
    if (route.check() != null) {
      String missing = route.check().missingParameters(exchange.request, exchange.pathParameters);
      if (missing != null) {
        throw new GatewayFailure(GatewayResponseType.BAD_REQUEST_PARAMETERS, missing);
      }
    }
  }

  private void serve(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    if (exchange.stage.decompressRequests()
        && exchange.bodyPaused
        && !request.isEnded()
        && RequestDecompression.isGzip(request)) {
      serveInflated(exchange);
      return;
    }
    RequestCheck check = exchange.route.check();
    if (check != null && check.validatesBody()) {
      serveValidated(exchange, check);
      return;
    }
    serve(exchange, new CountingReadStream(exchange.request, maxBodyBytes));
  }

  /**
   * A gzip body the API wants decompressed: inflated whole (bounded by the body limit), validated
   * if the route validates, then served as a plain body.
   */
  private void serveInflated(Exchange exchange) {
    CountingReadStream compressed = new CountingReadStream(exchange.request, maxBodyBytes);
    exchange.bodyPaused = false;
    RequestDecompression.inflate(exchange.request, compressed, maxBodyBytes)
        .compose(
            body -> {
              exchange.bytesIn = Math.max(exchange.bytesIn, compressed.bytes());
              RequestCheck check = exchange.route.check();
              if (check == null || !check.validatesBody()) {
                return Future.succeededFuture(body);
              }
              if (body.length() > maxValidatedBodyBytes) {
                return Future.failedFuture(
                    new GatewayFailure(GatewayResponseType.REQUEST_TOO_LARGE));
              }
              return BodyValidation.check(check, body);
            })
        .onComplete(
            (body, error) -> {
              if (error == null) {
                serve(exchange, new BufferedBody(body));
              } else if (!exchange.request.response().ended()) {
                fail(
                    exchange,
                    error instanceof GatewayFailure failure
                        ? failure
                        : new GatewayFailure(GatewayResponseType.BAD_REQUEST_BODY));
              }
            });
  }

  private void serveValidated(Exchange exchange, RequestCheck check) {
    BodyValidation.read(exchange, check, maxValidatedBodyBytes)
        .onComplete(
            (body, error) -> {
              if (error == null) {
                serve(exchange, new BufferedBody(body));
              } else if (!exchange.request.response().ended()) {
                fail(
                    exchange,
                    error instanceof GatewayFailure failure
                        ? failure
                        : new GatewayFailure(GatewayResponseType.BAD_REQUEST_BODY));
              }
            });
  }

  private void serve(Exchange exchange, ReadStream<Buffer> body) {
    HttpServerRequest request = exchange.request;
    IntegrationCall call = exchange.call(body);
    exchange.integrationStartNanos = System.nanoTime();
    Future<IntegrationResult> served;
    try {
      served = exchange.route.integration().serve(call);
    } catch (RuntimeException e) {
      exchange
          .logContext()
          .run(
              () ->
                  LOG.error(
                      "integration of {} failed before sending, request {}",
                      exchange.route.routeKey(),
                      exchange.requestIdText,
                      e));
      served = Future.failedFuture(new GatewayFailure(GatewayResponseType.API_CONFIGURATION_ERROR));
    }
    served.onComplete(
        result -> {
          exchange.integrationNanos = System.nanoTime() - exchange.integrationStartNanos;
          if (body instanceof CountingReadStream counting) {
            exchange.bytesIn = Math.max(exchange.bytesIn, counting.bytes());
          }
          if (result.succeeded()) {
            exchange.status = result.result().status();
            exchange.bytesOut = result.result().bytesOut();
            exchange.outcome = Outcome.SERVED;
            finish(exchange);
          } else if (result.cause() instanceof GatewayFailure failure
              && !request.response().headWritten()) {
            fail(exchange, blameStalledBody(request, failure));
          } else {
            exchange
                .logContext()
                .run(
                    () ->
                        LOG.warn(
                            "request {} failed after its response started: {}",
                            exchange.requestIdText,
                            result.cause().toString()));
            request.response().reset();
            exchange.status = 502;
            exchange.outcome = Outcome.INTEGRATION_FAILURE;
            finish(exchange);
          }
        });
  }

  /**
   * A backend that times out while the client has not finished sending the body it is waiting for
   * was kept waiting by the client: that is the client's 400, not the endpoint's 504.
   */
  private static GatewayFailure blameStalledBody(
      HttpServerRequest request, GatewayFailure failure) {
    if (failure.type() == GatewayResponseType.INTEGRATION_TIMEOUT
        && RequestBodies.hasBody(request)
        && !request.isEnded()) {
      return new GatewayFailure(GatewayResponseType.BAD_REQUEST_BODY, "Request body incomplete");
    }
    return failure;
  }

  private void fail(Exchange exchange, GatewayFailure failure) {
    GatewayResponses responses =
        exchange.stage == null ? GatewayResponses.defaults() : exchange.stage.responses();
    HttpServerResponse response = exchange.request.response();
    GatewayResponseTemplates templates =
        exchange.stage == null ? null : exchange.stage.responseTemplates();
    if (templates != null && templates.applies(failure.type())) {
      templates
          .send(responses, response, failure, exchange.call(exchange.request))
          .onComplete(
              (status, error) -> {
                if (error != null) {
                  // The template pool refused the work (the node is closing): the literal answer.
                  failed(
                      exchange,
                      failure,
                      response.ended() ? 500 : responses.send(response, failure));
                } else {
                  failed(exchange, failure, status);
                }
              });
      return;
    }
    failed(exchange, failure, responses.send(response, failure));
  }

  private void failed(Exchange exchange, GatewayFailure failure, int status) {
    exchange.status = status;
    exchange.outcome = failure.type().outcome();
    if (LOG.isDebugEnabled() && isIntegrationSide(exchange.outcome)) {
      // The access log already records every failure; this line is for the operator tracing one
      // failing integration, with the request's fields in the MDC.
      exchange
          .logContext()
          .run(
              () ->
                  LOG.debug(
                      "request {} to {} failed: {} ({})",
                      exchange.requestIdText,
                      exchange.route == null ? null : exchange.route.routeKey(),
                      failure.type(),
                      exchange.status));
    }
    finish(exchange);
  }

  private static boolean isIntegrationSide(Outcome outcome) {
    return outcome == Outcome.INTEGRATION_FAILURE
        || outcome == Outcome.INTEGRATION_TIMEOUT
        || outcome == Outcome.CONFIGURATION_ERROR;
  }

  private void finish(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    if (exchange.inFlight != null) {
      exchange.inFlight.exit();
      exchange.inFlight = null;
    }
    if (exchange.bodyPaused && !request.isEnded()) {
      // Let an unread body drain so a keep-alive connection can carry the next request.
      request.resume();
    }
    long latencyNanos = System.nanoTime() - exchange.startNanos;
    StageRuntime stage = exchange.stage;
    if (stage != null) {
      stage.meters().record(exchange.status, latencyNanos);
    }
    if (accessLog != null) {
      accessLog.log(exchange);
    }
    usage.emit(UsageEvents.of(exchange, latencyNanos, nodeId));
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    if (length == null) {
      return 0;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      throw new GatewayFailure(GatewayResponseType.BAD_REQUEST_BODY, "Invalid Content-Length");
    }
  }
}
