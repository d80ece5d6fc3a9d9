package dev.turnpike.gateway.upstream;

import dev.turnpike.contracts.config.UpstreamHealthCheck;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream's active health check on this node: one Vert.x timer per upstream that, each
 * interval, sends {@code GET path} to every target whose previous probe has finished (never two in
 * flight to one target), through the tenant's client and past the egress policy like any request: a
 * target the policy refuses is never contacted and counts as failing. An https target is probed
 * with the backend TLS of the integrations that send to the upstream (so a target a private CA
 * signed passes), or the node's defaults when they differ.
 */
final class HealthProbes {
  private static final Logger LOG = LoggerFactory.getLogger(HealthProbes.class);

  private final Vertx vertx;
  private final UpstreamPool pool;
  private final UpstreamHealthCheck check;
  private final ClientSSLOptions tls;
  private final String serverName;
  private long timerId = -1;

  /**
   * @param tls the TLS options of the integrations that send to the upstream (their CA, client
   *     certificate and verification), null for the node's defaults
   * @param serverName the name https targets' certificates must carry and the SNI sent, null for
   *     the target's own host
   */
  HealthProbes(
      Vertx vertx,
      UpstreamPool pool,
      UpstreamHealthCheck check,
      ClientSSLOptions tls,
      String serverName) {
    this.vertx = vertx;
    this.pool = pool;
    this.check = check;
    this.tls = tls;
    this.serverName = serverName;
  }

  void start() {
    timerId = vertx.setPeriodic(0, check.intervalMillis(), ignored -> probeAll());
  }

  void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void probeAll() {
    for (Target target : pool.targets()) {
      if (target.startProbe()) {
        probe(target)
            .onComplete(
                (passed, error) ->
                    target.probed(
                        error == null && passed,
                        check.healthyThreshold(),
                        check.unhealthyThreshold()));
      }
    }
  }

  private RequestOptions options(Target target, SocketAddress server) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(target.host())
            .setPort(target.port())
            .setSsl(target.ssl())
            .setURI(target.basePath() + check.path())
            .setServer(server)
            .setConnectTimeout(check.timeoutMillis())
            .setIdleTimeout(check.timeoutMillis())
            .setFollowRedirects(false);
    if (target.ssl() && tls != null) {
      options.setSslOptions(tls);
      if (serverName != null) {
        // The handshake names the server to verify; the connection still goes to the address the
        // egress policy admitted, and the target sees its own authority.
        options.setHost(serverName).putHeader(HttpHeaders.HOST, target.address());
      }
    }
    return options;
  }

  private Future<Boolean> probe(Target target) {
    return pool.guard()
        .admit(pool.owner(), target.host(), target.port())
        .recover(
            error -> {
              if (error instanceof EgressGuard.EgressRefusal && pool.mayLogRefusal()) {
                LogContext.EMPTY
                    .with(LogContext.TENANT, pool.owner().tenantId())
                    .run(
                        () ->
                            LOG.warn(
                                "egress refused the health probe of {}, upstream {}: target {} is"
                                    + " {}; it counts as failing",
                                pool.owner(),
                                pool.name(),
                                target.address(),
                                error.getMessage()));
              }
              return Future.failedFuture(error);
            })
        .compose(server -> pool.client().request(options(target, server)))
        .compose(request -> request.send())
        .compose(
            response ->
                response
                    .body()
                    .map(ignored -> response.statusCode() >= 200 && response.statusCode() < 400));
  }
}
