package dev.turnpike.gateway.upstream;

import dev.turnpike.contracts.config.UpstreamHealthCheck;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream's active health check on this node: one Vert.x timer per upstream that, each
 * interval, sends {@code GET path} to every target whose previous probe has finished (never two in
 * flight to one target), through the tenant's client and past the egress policy like any request: a
 * target the policy refuses is never contacted and counts as failing.
 */
final class HealthProbes {
  private static final Logger LOG = LoggerFactory.getLogger(HealthProbes.class);

  private final Vertx vertx;
  private final UpstreamPool pool;
  private final UpstreamHealthCheck check;
  private long timerId = -1;

  HealthProbes(Vertx vertx, UpstreamPool pool, UpstreamHealthCheck check) {
    this.vertx = vertx;
    this.pool = pool;
    this.check = check;
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
        .compose(
            server ->
                pool.client()
                    .request(
                        new RequestOptions()
                            .setMethod(HttpMethod.GET)
                            .setHost(target.host())
                            .setPort(target.port())
                            .setSsl(target.ssl())
                            .setURI(target.basePath() + check.path())
                            .setServer(server)
                            .setConnectTimeout(check.timeoutMillis())
                            .setIdleTimeout(check.timeoutMillis())
                            .setFollowRedirects(false)))
        .compose(request -> request.send())
        .compose(
            response ->
                response
                    .body()
                    .map(ignored -> response.statusCode() >= 200 && response.statusCode() < 400));
  }
}
