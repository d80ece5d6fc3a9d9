package dev.turnpike.gateway.integration.impl;

import dev.turnpike.egress.EgressDecision;
import dev.turnpike.egress.HostLiteral;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a backend's requests connect, as the egress policy decides it. An origin whose host is an
 * address literal is decided once, when the deployment is compiled: a request then only sets the
 * admitted server (or fails at once). Any other host is decided per request on the address it
 * resolves to. A refusal answers the client API Gateway's configuration error (500) and tells the
 * owner why in the log, at most once per {@link #LOG_INTERVAL_NANOS} per backend so a client cannot
 * flood it.
 */
final class BackendTarget {
  private static final Logger LOG = LoggerFactory.getLogger(BackendTarget.class);
  private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final EgressGuard guard;
  private final IntegrationOwner owner;
  private final SocketAddress fixedServer;
  private final String fixedRefusal;
  private final AtomicLong nextLog = new AtomicLong(System.nanoTime());
  private final AtomicLong unlogged = new AtomicLong();

  private BackendTarget(
      EgressGuard guard, IntegrationOwner owner, SocketAddress fixedServer, String fixedRefusal) {
    this.guard = guard;
    this.owner = owner;
    this.fixedServer = fixedServer;
    this.fixedRefusal = fixedRefusal;
  }

  /** Decides a literal origin now; any other origin is decided per request. */
  static BackendTarget of(EgressGuard guard, IntegrationOwner owner, FixedOrigin origin) {
    InetAddress literal = origin == null ? null : HostLiteral.parse(origin.host());
    if (literal == null) {
      return new BackendTarget(guard, owner, null, null);
    }
    EgressDecision decision = guard.decide(owner, literal, origin.port());
    if (decision.allowed()) {
      return new BackendTarget(guard, owner, EgressGuard.server(literal, origin.port()), null);
    }
    LogContext.EMPTY
        .with(LogContext.TENANT, owner.tenantId())
        .run(
            () ->
                LOG.warn(
                    "egress refused for {}: target {}:{} is {}; the route answers 500 until the"
                        + " integration is changed or an operator grants the target",
                    owner,
                    origin.host(),
                    origin.port(),
                    decision.reason()));
    return new BackendTarget(guard, owner, null, decision.reason());
  }

  /** The admitted server of a literal origin, or null when each request is decided. */
  SocketAddress fixedServer() {
    return fixedServer;
  }

  /** The server for one request, or a {@link GatewayFailure} to answer the client with. */
  Future<SocketAddress> admit(RequestOptions options, LogContext log) {
    String host = options.getHost();
    int port = options.getPort();
    if (fixedRefusal != null) {
      return refused(host, port, fixedRefusal, log);
    }
    return guard
        .admit(owner, host, port)
        .recover(
            error ->
                error instanceof EgressGuard.EgressRefusal refusal
                    ? refused(host, port, refusal.getMessage(), log)
                    : Future.failedFuture(
                        new GatewayFailure(GatewayResponseType.INTEGRATION_FAILURE)));
  }

  private Future<SocketAddress> refused(String host, int port, String why, LogContext log) {
    long now = System.nanoTime();
    long next = nextLog.get();
    if (now - next >= 0 && nextLog.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
      long notLogged = unlogged.getAndSet(0);
      log.run(
          () ->
              LOG.warn(
                  "egress refused for {}, request {}: target {}:{} is {} ({} more refusals not"
                      + " logged)",
                  owner,
                  log.get(LogContext.REQUEST_ID),
                  host,
                  port,
                  why,
                  notLogged));
    } else {
      unlogged.incrementAndGet();
    }
    return Future.failedFuture(new GatewayFailure(GatewayResponseType.API_CONFIGURATION_ERROR));
  }
}
