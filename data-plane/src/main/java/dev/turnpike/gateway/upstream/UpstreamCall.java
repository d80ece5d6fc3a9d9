package dev.turnpike.gateway.upstream;

import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one integration request through an upstream: picks a target, has the egress policy admit
 * it, lets the integration send, and feeds the outcome to the target's breaker. A connection that
 * could not be made is tried on another target, for an idempotent method only and only while the
 * upstream's retry budget allows; anything else is answered as it is. With no target available the
 * request fails at once with API Gateway's 504 "Network error communicating with endpoint".
 */
public final class UpstreamCall {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamCall.class);

  /** Methods repeated on another target after a connect failure; never POST or PATCH. */
  static final Set<HttpMethod> RETRYABLE =
      Set.of(
          HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE);

  private UpstreamCall() {}

  /** How an integration sends one attempt to the target {@code options} name. */
  @FunctionalInterface
  public interface Attempt<T> {
    /**
     * @param options the integration's options with the target's host, port, TLS, path and the
     *     admitted server set
     * @param report to be told the response status as soon as it is known
     * @return fails with {@link UpstreamConnectFailure} when no connection could be made
     */
    Future<T> send(RequestOptions options, Report report);
  }

  /** Where an attempt tells the status it got, for the target's breaker (5xx counts as failure). */
  public static final class Report {
    private final Target target;
    private boolean reported;

    private Report(Target target) {
      this.target = target;
    }

    public void responded(int status) {
      if (reported) {
        return;
      }
      reported = true;
      if (status >= 500) {
        target.breaker().onFailure();
      } else {
        target.breaker().onSuccess();
      }
    }
  }

  /**
   * @param options the integration request with its method and its URI relative to the upstream
   */
  public static <T> Future<T> dispatch(
      UpstreamPool pool, RequestOptions options, LogContext log, Attempt<T> attempt) {
    Promise<T> done = Promise.promise();
    pool.budget().onRequest();
    next(pool, options, log, attempt, new ArrayList<>(2), done);
    return done.future();
  }

  private static <T> void next(
      UpstreamPool pool,
      RequestOptions options,
      LogContext log,
      Attempt<T> attempt,
      List<Target> tried,
      Promise<T> done) {
    Target target = pool.pick(tried);
    if (target == null) {
      done.fail(new GatewayFailure(GatewayResponseType.INTEGRATION_FAILURE));
      return;
    }
    tried.add(target);
    target.started();
    pool.guard()
        .admit(pool.owner(), target.host(), target.port())
        .onComplete(
            (server, refusal) -> {
              if (refusal != null) {
                target.finished();
                target.breaker().onFailure();
                if (refusal instanceof EgressGuard.EgressRefusal) {
                  logRefusal(pool, target, refusal.getMessage(), log);
                  done.fail(new GatewayFailure(GatewayResponseType.API_CONFIGURATION_ERROR));
                } else {
                  retryOrFail(pool, options, log, attempt, tried, done);
                }
                return;
              }
              RequestOptions out =
                  new RequestOptions(options)
                      .setHost(target.host())
                      .setPort(target.port())
                      .setSsl(target.ssl())
                      .setURI(target.basePath() + options.getURI())
                      .setServer(server);
              Report report = new Report(target);
              Future<T> sent;
              try {
                sent = attempt.send(out, report);
              } catch (RuntimeException e) {
                sent = Future.failedFuture(e);
              }
              sent.onComplete(
                  (result, error) -> {
                    target.finished();
                    if (error == null) {
                      if (!report.reported) {
                        target.breaker().onSuccess();
                      }
                      done.complete(result);
                    } else if (error instanceof UpstreamConnectFailure) {
                      target.breaker().onFailure();
                      retryOrFail(pool, options, log, attempt, tried, done);
                    } else {
                      if (!report.reported) {
                        target.breaker().onFailure();
                      }
                      done.fail(error);
                    }
                  });
            });
  }

  private static <T> void retryOrFail(
      UpstreamPool pool,
      RequestOptions options,
      LogContext log,
      Attempt<T> attempt,
      List<Target> tried,
      Promise<T> done) {
    if (RETRYABLE.contains(options.getMethod()) && pool.budget().tryRetry()) {
      next(pool, options, log, attempt, tried, done);
    } else {
      done.fail(new GatewayFailure(GatewayResponseType.INTEGRATION_FAILURE));
    }
  }

  private static void logRefusal(UpstreamPool pool, Target target, String why, LogContext log) {
    if (pool.mayLogRefusal()) {
      log.run(
          () ->
              LOG.warn(
                  "egress refused for {}, upstream {}: target {} is {}",
                  pool.owner(),
                  pool.name(),
                  target.address(),
                  why));
    }
  }
}
