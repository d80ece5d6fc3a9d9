package dev.turnpike.controlplane.console.oidc;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.console.web.ConsoleSession;
import dev.turnpike.webkit.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a console session tied to the identity provider's: at most every {@code interval} it
 * refreshes the session's tokens, and when the provider refuses (the session was ended there, timed
 * out, or its user was disabled) the console session ends too. The provider rotates refresh tokens
 * and honours each once, so concurrent requests of one session share a single refresh. When the
 * provider cannot be reached the session is kept and checked again on the next request.
 */
public final class SessionCheck implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(SessionCheck.class);

  private final OidcClient oidc;
  private final JwksTokenVerifier accessTokens;
  private final Blocking blocking;
  private final Duration interval;
  private final Map<String, Future<OidcClient.Tokens>> refreshing = new ConcurrentHashMap<>();

  public SessionCheck(
      OidcClient oidc, JwksTokenVerifier accessTokens, Blocking blocking, Duration interval) {
    this.oidc = oidc;
    this.accessTokens = accessTokens;
    this.blocking = blocking;
    this.interval = interval;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = ConsoleSession.caller(ctx);
    long now = System.currentTimeMillis();
    if (caller == null || now - ConsoleSession.checkedAt(ctx) < interval.toMillis()) {
      ctx.next();
      return;
    }
    String refreshToken = ConsoleSession.refreshToken(ctx);
    if (refreshToken == null) {
      // Nothing to check the session with: it cannot be known to be alive.
      ConsoleSession.signOut(ctx);
      ctx.next();
      return;
    }
    String sessionId = ctx.session().id();
    Future<OidcClient.Tokens> check =
        refreshing.computeIfAbsent(sessionId, id -> refresh(ctx, refreshToken, caller));
    check
        .onComplete(done -> refreshing.remove(sessionId, check))
        .onSuccess(
            tokens -> {
              ConsoleSession.renewed(
                  ctx, tokens.idToken(), tokens.refreshToken(), System.currentTimeMillis());
              ctx.next();
            })
        .onFailure(
            failure -> {
              if (failure instanceof OidcClient.SessionEnded) {
                LOG.info("console session of {} ended at the identity provider", caller.label());
                ConsoleSession.signOut(ctx);
              } else {
                LOG.warn(
                    "cannot check the console session of {} at the identity provider: {}",
                    caller.label(),
                    failure.getMessage());
              }
              ctx.next();
            });
  }

  private Future<OidcClient.Tokens> refresh(
      RoutingContext ctx, String refreshToken, Caller caller) {
    return blocking
        .run(ctx.vertx().getOrCreateContext(), () -> oidc.refresh(refreshToken))
        .compose(
            tokens ->
                accessTokens
                    .verify(tokens.accessToken())
                    .compose(
                        verified ->
                            verified.subject().equals(caller.subject())
                                ? Future.succeededFuture(tokens)
                                : Future.failedFuture(
                                    new OidcClient.SessionEnded(
                                        "the refreshed tokens name someone else"))));
  }
}
