package dev.turnpike.portal.web;

import dev.turnpike.webkit.oidc.OidcClient;
import dev.turnpike.webkit.oidc.OidcTokens;
import dev.turnpike.webkit.oidc.SessionTokens;
import dev.turnpike.webkit.oidc.SignedIn;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-in developer of a session and their access token, refreshed shortly before it expires
 * (one refresh per session at a time: the realm rotates refresh tokens). A refresh that fails signs
 * the session out, so the developer is sent to sign in rather than shown an error.
 */
public final class Auth {
  private static final Logger LOG = LoggerFactory.getLogger(Auth.class);
  private static final String NAME = "portal.name";
  private static final String EMAIL = "portal.email";
  private static final Duration MARGIN = Duration.ofSeconds(30);

  private final OidcClient oidc;
  private final Clock clock;

  public Auth(OidcClient oidc, Clock clock) {
    this.oidc = oidc;
    this.clock = clock;
  }

  public static boolean signedIn(RoutingContext ctx) {
    return SessionTokens.of(ctx.session()) != null;
  }

  /** Name and email of the signed-in person, or null. */
  public static JsonObject user(RoutingContext ctx) {
    Session session = ctx.session();
    if (session == null || session.get(NAME) == null) {
      return null;
    }
    return new JsonObject().put("name", session.<String>get(NAME)).put("email", session.get(EMAIL));
  }

  /** Signs the session in under a new id (see {@link SessionTokens#signIn}). */
  public static void signIn(RoutingContext ctx, SignedIn signedIn) {
    Session session = SessionTokens.signIn(ctx, signedIn.tokens());
    session.put(NAME, signedIn.name("developer"));
    if (signedIn.email() != null) {
      session.put(EMAIL, signedIn.email());
    }
  }

  /**
   * Ends the session; answers where to send the browser: the provider's logout, which returns to
   * {@code home}, or {@code home} itself when the session was not signed in.
   */
  public Future<String> signOut(RoutingContext ctx, String home) {
    boolean wasSignedIn = signedIn(ctx);
    String idToken = SessionTokens.signOut(ctx);
    return wasSignedIn ? oidc.logoutUrl(idToken, home) : Future.succeededFuture(home);
  }

  /** A valid access token, or a failure that sends the browser to sign in. */
  public Future<String> accessToken(RoutingContext ctx) {
    Session session = ctx.session();
    OidcTokens tokens = SessionTokens.of(session);
    if (tokens == null) {
      return Future.failedFuture(PortalFailure.notSignedIn());
    }
    if (!tokens.expiresWithin(MARGIN, clock.instant())) {
      return Future.succeededFuture(tokens.accessToken());
    }
    return oidc.refreshOnce(session.id(), tokens)
        .map(
            fresh -> {
              SessionTokens.put(session, fresh);
              return fresh.accessToken();
            })
        .recover(
            e -> {
              LOG.info("refreshing a session's token failed, signing it out: {}", e.getMessage());
              SessionTokens.forget(session);
              session.remove(NAME);
              session.remove(EMAIL);
              return Future.failedFuture(PortalFailure.notSignedIn());
            });
  }
}
