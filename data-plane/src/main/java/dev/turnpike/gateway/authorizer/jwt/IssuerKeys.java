package dev.turnpike.gateway.authorizer.jwt;

import com.nimbusds.jose.JWSHeader;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuer's signing keys as this node last fetched them for one tenant, shared by every stage
 * and event loop of the node. A token whose key is not in the set starts a refresh, but never more
 * than one fetch is under way (the others wait for it) and never more than one starts per {@code
 * minRefreshMillis}, so tokens with made-up key ids cannot turn the gateway into a flood of
 * requests to the issuer. A set older than {@code maxAgeMillis} is refreshed in the background
 * while it keeps serving, so a key the issuer withdrew stops verifying. A failed fetch keeps the
 * keys held before it.
 */
final class IssuerKeys {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

  private final String issuer;
  private final IntegrationOwner owner;
  private final JwksFetcher fetcher;
  private final Clock clock;
  private final long minRefreshMillis;
  private final long maxAgeMillis;

  // Guarded by this.
  private List<SigningKey> keys = List.of();
  private long fetchedAtMillis;
  private long lastAttemptMillis;
  private boolean attempted;
  private Future<List<SigningKey>> inFlight;

  private volatile long lastUsedMillis;

  IssuerKeys(
      String issuer,
      IntegrationOwner owner,
      JwksFetcher fetcher,
      Clock clock,
      long minRefreshMillis,
      long maxAgeMillis) {
    this.issuer = issuer;
    this.owner = owner;
    this.fetcher = fetcher;
    this.clock = clock;
    this.minRefreshMillis = minRefreshMillis;
    this.maxAgeMillis = maxAgeMillis;
    this.lastUsedMillis = clock.millis();
  }

  long lastUsedMillis() {
    return lastUsedMillis;
  }

  /**
   * The keys that may have signed a token with {@code header}, refreshing the set first when none
   * do; empty when the issuer has none (or cannot be reached). Completes on the caller's context.
   */
  Future<List<SigningKey>> candidates(JWSHeader header) {
    long now = clock.millis();
    lastUsedMillis = now;
    Future<List<SigningKey>> refresh;
    synchronized (this) {
      List<SigningKey> fitting = fitting(keys, header);
      if (!fitting.isEmpty()) {
        if (now - fetchedAtMillis > maxAgeMillis) {
          refresh(now);
        }
        return Future.succeededFuture(fitting);
      }
      refresh = refresh(now);
    }
    if (refresh == null) {
      return Future.succeededFuture(List.of());
    }
    Context caller = Vertx.currentContext();
    Promise<List<SigningKey>> answer = Promise.promise();
    // The fetch completes on the event loop that started it; each waiter goes on on its own.
    refresh.onComplete(
        ignored -> {
          if (caller == null) {
            answer.complete(fitting(current(), header));
          } else {
            caller.runOnContext(v -> answer.complete(fitting(current(), header)));
          }
        });
    return answer.future();
  }

  private synchronized List<SigningKey> current() {
    return keys;
  }

  /** The fetch under way, a new one if allowed, or null when one started too recently. */
  private Future<List<SigningKey>> refresh(long now) {
    if (inFlight != null) {
      return inFlight;
    }
    if (attempted && now - lastAttemptMillis < minRefreshMillis) {
      return null;
    }
    attempted = true;
    lastAttemptMillis = now;
    Future<List<SigningKey>> fetch = fetcher.fetch(owner, issuer);
    inFlight = fetch;
    fetch.onComplete(
        result -> {
          synchronized (this) {
            inFlight = null;
            if (result.succeeded()) {
              keys = result.result();
              fetchedAtMillis = clock.millis();
            }
          }
          if (result.failed()) {
            LogContext.EMPTY
                .with(LogContext.TENANT, owner.tenantId())
                .run(
                    () ->
                        LOG.warn(
                            "JWT authorizer of {}: no signing keys from issuer {} ({}); its tokens"
                                + " are refused until a fetch succeeds, at most one try per {} s",
                            owner,
                            issuer,
                            result.cause().getMessage(),
                            minRefreshMillis / 1000));
          }
        });
    // A fetch that ended at once (a refused address) has already cleared inFlight.
    return fetch;
  }

  private static List<SigningKey> fitting(List<SigningKey> keys, JWSHeader header) {
    List<SigningKey> fitting = null;
    for (SigningKey key : keys) {
      if (key.fits(header)) {
        if (fitting == null) {
          fitting = new ArrayList<>(2);
        }
        fitting.add(key);
      }
    }
    return fitting == null ? List.of() : fitting;
  }
}
