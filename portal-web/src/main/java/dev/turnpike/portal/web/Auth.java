package dev.turnpike.portal.web;

import dev.turnpike.portal.oidc.OidcClient;
import dev.turnpike.portal.oidc.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-in developer of a session and their access token, refreshed shortly before it expires.
 * Refresh tokens work once (the realm rotates them), so concurrent requests of one session share
 * one refresh.
 */
public final class Auth {
  private static final Logger LOG = LoggerFactory.getLogger(Auth.class);
  static final String TOKENS = "tokens";
  static final String USER = "user";
  private static final Duration MARGIN = Duration.ofSeconds(30);

  private final OidcClient oidc;
  private final Clock clock;
  private final Map<String, Future<Tokens>> refreshing = new ConcurrentHashMap<>();

  public Auth(OidcClient oidc, Clock clock) {
    this.oidc = oidc;
    this.clock = clock;
  }

  public static boolean signedIn(RoutingContext ctx) {
    return ctx.session() != null && ctx.session().get(TOKENS) != null;
  }

  /** Name and email of the signed-in person, or null. */
  public static JsonObject user(RoutingContext ctx) {
    return ctx.session() == null ? null : ctx.session().get(USER);
  }

  public static void signIn(Session session, Tokens tokens) {
    JsonObject claims = OidcClient.claims(tokens.idToken());
    session.put(TOKENS, tokens);
    session.put(
        USER,
        new JsonObject()
            .put(
                "name",
                claims.getString("name", claims.getString("preferred_username", "developer")))
            .put("email", claims.getString("email")));
  }

  /** A valid access token, or a failure that sends the browser to sign in. */
  public Future<String> accessToken(RoutingContext ctx) {
    Session session = ctx.session();
    Tokens tokens = session == null ? null : session.get(TOKENS);
    if (tokens == null) {
      return Future.failedFuture(PortalFailure.notSignedIn());
    }
    if (!tokens.expiresWithin(MARGIN, clock.instant())) {
      return Future.succeededFuture(tokens.accessToken());
    }
    String id = session.id();
    Future<Tokens> refresh =
        refreshing.computeIfAbsent(
            id,
            k -> {
              Future<Tokens> attempt = oidc.refresh(tokens);
              attempt.onComplete(done -> refreshing.remove(k));
              return attempt;
            });
    return refresh
        .map(
            fresh -> {
              session.put(TOKENS, fresh);
              return fresh.accessToken();
            })
        .recover(
            e -> {
              LOG.info("refreshing a session's token failed, signing it out: {}", e.getMessage());
              session.remove(TOKENS);
              session.remove(USER);
              return Future.failedFuture(PortalFailure.notSignedIn());
            });
  }
}
