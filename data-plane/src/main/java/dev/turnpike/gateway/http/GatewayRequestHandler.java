package dev.turnpike.gateway.http;

import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.gateway.authorizer.RouteAuthorizer;
import dev.turnpike.gateway.bulkhead.HeldRefusals;
import dev.turnpike.gateway.bulkhead.RefusalPacing;
import dev.turnpike.gateway.cache.CachedResponse;
import dev.turnpike.gateway.compression.RequestDecompression;
import dev.turnpike.gateway.compression.ResponseCompression;
import dev.turnpike.gateway.cors.CorsPolicy;
import dev.turnpike.gateway.domain.DomainAccess;
import dev.turnpike.gateway.domain.DomainTable;
import dev.turnpike.gateway.domain.ServedDomain;
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
import dev.turnpike.gateway.runtime.CanaryRuntime;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.RouteRuntime;
import dev.turnpike.gateway.runtime.StageRuntime;
import dev.turnpike.gateway.sourceip.SourceAddressRules;
import dev.turnpike.gateway.template.GatewayResponseTemplates;
import dev.turnpike.gateway.tracing.GatewayTracer;
import dev.turnpike.gateway.usage.RequestIds;
import dev.turnpike.gateway.usage.UsageEventSink;
import dev.turnpike.gateway.validation.BufferedBody;
import dev.turnpike.gateway.validation.RequestCheck;
import dev.turnpike.gateway.websocket.WebSocketGateway;
import dev.turnpike.gateway.websocket.WebSocketHandshake;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
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
  private final Supplier<DomainTable> domains;
  private final LocalQuotaCounter quotas;
  private final UsageEventSink usage;
  private final AccessLog accessLog;
  private final ExecutionLog executionLog;
  private final long maxBodyBytes;
  private final long maxValidatedBodyBytes;
  private final TrustedProxies trustedProxies;
  private final String nodeId;
  private final Clock clock;
  private final WebSocketHandshake webSockets;
  private final GatewayTracer tracer;
  private final RefusalPacing pacing;
  // Where held refusals wait: one queue per event loop, released on ticks (see HeldRefusals).
  private final HeldRefusals held = new HeldRefusals(HeldRefusals.TICK);

  /**
   * @param domains the custom domains, whose hosts are routed by their base paths
   * @param webSockets the node's WebSocket connections, which WebSocket APIs' handshakes are handed
   *     to once admitted; null on a node that serves none (their handshakes then answer 500)
   * @param tracer decides which requests are traced and records their spans ({@link
   *     GatewayTracer#OFF} for none)
   * @param executionLog where stages that log write their execution lines; null for none
   * @param pacing which of a flooding tenant's refusals are held before they are answered
   */
  public GatewayRequestHandler(
      Supplier<GatewayRuntime> runtime,
      GatewayAddressParser addresses,
      Supplier<DomainTable> domains,
      LocalQuotaCounter quotas,
      UsageEventSink usage,
      AccessLog accessLog,
      long maxBodyBytes,
      long maxValidatedBodyBytes,
      TrustedProxies trustedProxies,
      String nodeId,
      Clock clock,
      WebSocketGateway webSockets,
      GatewayTracer tracer,
      ExecutionLog executionLog,
      RefusalPacing pacing) {
    this.runtime = runtime;
    this.addresses = addresses;
    this.domains = domains;
    this.quotas = quotas;
    this.usage = usage;
    this.accessLog = accessLog;
    this.maxBodyBytes = maxBodyBytes;
    this.maxValidatedBodyBytes = Math.min(maxBodyBytes, maxValidatedBodyBytes);
    this.trustedProxies = trustedProxies;
    this.nodeId = nodeId;
    this.clock = clock;
    this.webSockets = webSockets == null ? null : new WebSocketHandshake(webSockets);
    this.tracer = tracer;
    this.executionLog = executionLog;
    this.pacing = pacing;
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
      exchange.compressionOnHead = true;
      decideOnHead(exchange);
    }
    GatewayRuntime current = runtime.get();
    RouteAuthorizer authorizer;
    try {
      authorizer = route(exchange, current);
      if (authorizer == null && !exchange.preflight) {
        // Without an authorizer the whole admission stays synchronous, as it was before them.
        admitCaller(exchange, current, nowMillis);
      }
    } catch (GatewayFailure failure) {
      fail(exchange, failure);
      return;
    } catch (DomainAccess.Misdirected misdirected) {
      misdirected(exchange);
      return;
    }
    if (exchange.preflight) {
      answerPreflight(exchange);
    } else if (authorizer == null) {
      serve(exchange);
    } else {
      authorizeThenServe(exchange, authorizer, current, nowMillis);
    }
  }

  /**
   * Steps 2 and 3: the stage and the route, and step 1's CORS preflight once the stage says whether
   * its API has CORS; returns the route's authorizer, null for none or a preflight.
   */
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
    DomainTable table = domains.get();
    ServedDomain domain = table.lookup(host);
    GatewayAddress address;
    if (domain != null) {
      DomainAccess.Admitted admitted =
          DomainAccess.admit(table, domain, request.connection().sslSession(), path);
      address = admitted.address();
      exchange.clientCert = admitted.clientCert();
    } else {
      address = addresses.parse(host, path).orElse(null);
    }
    if (address == null) {
      throw new GatewayFailure(GatewayResponseType.MISSING_AUTHENTICATION_TOKEN);
    }
    StageRuntime stage = current.stage(address.tenant(), address.api(), address.stage());
    // A domain reaches the stages of the tenant that owns it, and no other: the slug lookup above
    // is within its tenant, and the id check holds should a slug ever be reused.
    if (stage == null || (domain != null && !stage.tenantId().equals(domain.tenantId()))) {
      throw new GatewayFailure(GatewayResponseType.ACCESS_DENIED);
    }
    CanaryRuntime canary = stage.canary();
    if (canary != null) {
      // The side is picked before the route: the canary's deployment may route differently.
      boolean toCanary =
          canary.serves(
              request.getHeader(KeyAdmission.API_KEY_HEADER),
              exchange.forwarding().clientAddress(),
              exchange.startEpochMillis);
      exchange.canary = toCanary;
      if (toCanary) {
        stage = canary.stage();
      }
    }
    exchange.stage = stage;
    exchange.stagePath = address.path();
    // The request's span starts at its arrival; whether there is one is the stage's to say.
    exchange.trace = tracer.begin(request, stage.deployment(), exchange.startNanos);
    if (stage.executionLogging() != null && executionLog != null) {
      exchange.execution = new ExecutionTrace(stage.executionLogging(), exchange);
    }
    if (stage.webSocket() != null && !exchange.bodyPaused) {
      exchange.bodyPaused = WebSocketHandshake.holdUntilAdmitted(request);
    }
    // The resource policy: before the route, its authorizer and its key, as API Gateway does.
    SourceAddressRules sourceRules = stage.sourceRules();
    if (sourceRules != null && !sourceRules.admits(exchange.forwarding().clientAddress())) {
      throw new GatewayFailure(GatewayResponseType.ACCESS_DENIED, EXPLICIT_DENY);
    }
    RouteMatch<RouteRuntime> match = stage.routes().match(request.method().name(), address.path());
    CorsPolicy cors = stage.cors();
    if (cors != null) {
      if (CorsPolicy.isPreflight(request) && isPreflightForGateway(match)) {
        // Step 1: the gateway answers, before any key, authorizer or throttle.
        exchange.preflight = true;
        return null;
      }
      // Step 10's CORS headers, put on whatever answer this request gets from here on.
      exchange.corsOnHead = true;
      decideOnHead(exchange);
    }
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
   * Has step 10's head decisions made as the answer's head is written, whoever wrote the rest (the
   * backend, a mock, a gateway error, a template). Vert.x keeps one head handler per response, so
   * CORS and compression share this one; installing it again replaces it with itself.
   */
  private static void decideOnHead(Exchange exchange) {
    exchange.request.response().headersEndHandler(ignored -> onHead(exchange));
  }

  /** CORS first, so that compression's {@code Vary} joins CORS's rather than being replaced. */
  private static void onHead(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    HttpServerResponse response = request.response();
    if (exchange.corsOnHead) {
      exchange.stage.cors().decorate(response.headers(), request.getHeader("origin"));
    }
    if (exchange.compressionOnHead) {
      ResponseCompression.chooseEncoding(
          request, response, exchange.stage == null ? null : exchange.stage.compression());
    }
  }

  /**
   * A preflight is the gateway's to answer unless the API defines an {@code OPTIONS} route for the
   * path itself, as in API Gateway; an {@code ANY} route does not take it over.
   */
  private static boolean isPreflightForGateway(RouteMatch<RouteRuntime> match) {
    return switch (match) {
      case RouteMatch.Found<RouteRuntime> found -> !"OPTIONS".equals(found.value().method());
      case RouteMatch.NotFound<RouteRuntime> notFound -> true;
      case RouteMatch.MalformedPath<RouteRuntime> malformed -> false;
    };
  }

  private void answerPreflight(Exchange exchange) {
    exchange.stage.cors().answerPreflight(exchange.request);
    exchange.status = 204;
    exchange.outcome = Outcome.SERVED;
    finish(exchange);
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
    CountingReadStream body = new CountingReadStream(exchange.request, maxBodyBytes);
    if (exchange.execution != null && exchange.execution.dataTrace()) {
      body.observe(exchange.execution::requestChunk);
    }
    serve(exchange, body);
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
                if (exchange.execution != null) {
                  exchange.execution.requestChunk(body);
                }
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
                if (exchange.execution != null) {
                  exchange.execution.requestChunk(body);
                }
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
    if (exchange.stage.webSocket() != null && webSockets != null) {
      serveWebSocket(exchange, body);
      return;
    }
    // Step 7, the cache lookup (response caching); the store is step 10, below.
    CachedResponse cached;
    try {
      cached = CacheStep.lookup(exchange);
    } catch (GatewayFailure failure) {
      fail(exchange, failure);
      return;
    }
    if (cached != null) {
      CacheStep.answer(exchange, cached);
      exchange.outcome = Outcome.SERVED;
      finish(exchange);
      return;
    }
    // End of step 7.
    if (exchange.trace != null) {
      exchange.trace.startIntegration("integration");
    }
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
   * A WebSocket API's handshake or {@code @connections} call, handed to the WebSocket gateway once
   * admitted; metered and logged as any call.
   */
  private void serveWebSocket(Exchange exchange, ReadStream<Buffer> body) {
    exchange.integrationStartNanos = System.nanoTime();
    Future<WebSocketHandshake.Answered> answered =
        WebSocketHandshake.isCallback(exchange.route.resourcePath())
            ? webSockets.callback(
                exchange.request,
                body,
                exchange.stage.webSocket(),
                exchange.pathParameters.get("connectionId"))
            : webSockets.connect(exchange.connectRequest());
    answered.onComplete(
        (answer, error) -> {
          exchange.integrationNanos = System.nanoTime() - exchange.integrationStartNanos;
          if (error != null) {
            fail(
                exchange,
                error instanceof GatewayFailure failure
                    ? failure
                    : new GatewayFailure(GatewayResponseType.INTEGRATION_FAILURE));
            return;
          }
          exchange.status = answer.status();
          exchange.bytesOut = answer.bytesOut();
          exchange.outcome = answer.outcome();
          finish(exchange);
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
    long hold = isRefusal(exchange, failure) ? pacing.holdMillis(exchange.stage.tenantId()) : 0;
    if (hold == 0) {
      answerFailure(exchange, failure);
      return;
    }
    Context context = Vertx.currentContext();
    if (context == null) {
      // Off an event loop there is no timer to hold it on: answered now, its slot given back.
      pacing.released(exchange.stage.tenantId());
      answerFailure(exchange, failure);
    } else {
      holdThenAnswer(exchange, failure, hold, context);
    }
  }

  /**
   * A refusal of a tenant's caller, decided by the gateway before any integration: the answers
   * {@link RefusalPacing} may hold when the tenant floods the node with them.
   */
  private static boolean isRefusal(Exchange exchange, GatewayFailure failure) {
    int status = failure.type().defaultStatus();
    return exchange.stage != null
        && exchange.integrationStartNanos == 0
        && status >= 400
        && status < 500;
  }

  /**
   * Answers a refusal {@code holdMillis} later (on the first tick of its event loop after that), on
   * the request's own context. The tenant's in-flight slot is given back at once: a held refusal is
   * not work in progress. A client that hangs up meanwhile is metered as refused, with nothing
   * written.
   */
  private void holdThenAnswer(
      Exchange exchange, GatewayFailure failure, long holdMillis, Context context) {
    releaseInFlight(exchange);
    String tenantId = exchange.stage.tenantId();
    held.hold(
        context,
        holdMillis,
        () -> {
          pacing.released(tenantId);
          if (exchange.request.response().closed()) {
            exchange.failure = failure;
            exchange.status = failure.type().defaultStatus();
            exchange.outcome = failure.type().outcome();
            finish(exchange);
          } else {
            answerFailure(exchange, failure);
          }
        });
  }

  private void answerFailure(Exchange exchange, GatewayFailure failure) {
    exchange.failure = failure;
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

  /**
   * 421: the request names a custom domain its connection's handshake did not. Not a gateway
   * response an owner can override: no stage was reached, and the client is to retry on a
   * connection of its own.
   */
  private void misdirected(Exchange exchange) {
    exchange.status = 421;
    exchange.outcome = Outcome.FORBIDDEN;
    exchange
        .request
        .response()
        .setStatusCode(421)
        .putHeader("content-type", "application/json")
        .end("{\"message\":\"Misdirected Request\"}");
    finish(exchange);
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
    releaseInFlight(exchange);
    if (exchange.bodyPaused && !request.isEnded()) {
      // Let an unread body drain so a keep-alive connection can carry the next request.
      request.resume();
    }
    long latencyNanos = System.nanoTime() - exchange.startNanos;
    StageRuntime stage = exchange.stage;
    if (stage != null) {
      stage.meters().record(exchange.status, exchange.outcome, latencyNanos);
      RouteRuntime route = exchange.route;
      if (route != null && route.meters() != null) {
        route.meters().record(exchange.status, latencyNanos, exchange.integrationNanos);
      }
    }
    if (exchange.trace != null) {
      ExchangeTraces.end(exchange, exchange.startNanos + latencyNanos);
    }
    if (accessLog != null) {
      accessLog.log(exchange);
    }
    if (exchange.execution != null) {
      executionLog.log(exchange);
    }
    if (!exchange.preflight) {
      usage.emit(UsageEvents.of(exchange, latencyNanos, nodeId));
    }
  }

  /** Gives the tenant's in-flight slot back, once: a later call finds it given. */
  private static void releaseInFlight(Exchange exchange) {
    if (exchange.inFlight != null) {
      exchange.inFlight.exit();
      exchange.inFlight = null;
    }
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
