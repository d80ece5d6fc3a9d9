package dev.turnpike.webkit.oidc;

import dev.turnpike.webkit.SessionPolicy;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.time.Instant;
import java.util.List;

/**
 * What a signed-in session keeps of the provider's tokens, as strings (so the session store can be
 * swapped for a shared one). Signing in rotates the session id: an id planted in the browser before
 * sign-in (session fixation) is worthless after it.
 */
public final class SessionTokens {
  private static final String ID_TOKEN = "oidc.idToken";
  private static final String ACCESS_TOKEN = "oidc.accessToken";
  private static final String REFRESH_TOKEN = "oidc.refreshToken";
  private static final String EXPIRES_AT = "oidc.expiresAt";

  private SessionTokens() {}

  /** Signs the session in: a new session id, then the tokens. */
  public static Session signIn(RoutingContext ctx, OidcTokens tokens) {
    Session session = SessionPolicy.rotate(ctx);
    put(session, tokens);
    return session;
  }

  /** The session's tokens, or null when it is not signed in. */
  public static OidcTokens of(Session session) {
    if (session == null || session.get(ACCESS_TOKEN) == null) {
      return null;
    }
    return new OidcTokens(
        session.get(ID_TOKEN),
        session.get(ACCESS_TOKEN),
        session.get(REFRESH_TOKEN),
        Instant.ofEpochMilli(Long.parseLong(session.get(EXPIRES_AT))));
  }

  /** The provider renewed the tokens (a refresh): keep the new ones. */
  public static void put(Session session, OidcTokens tokens) {
    putOrRemove(session, ID_TOKEN, tokens.idToken());
    putOrRemove(session, ACCESS_TOKEN, tokens.accessToken());
    putOrRemove(session, REFRESH_TOKEN, tokens.refreshToken());
    session.put(EXPIRES_AT, Long.toString(tokens.expiresAt().toEpochMilli()));
  }

  /** Forgets the tokens but keeps the session (its CSRF token, a flash message). */
  public static void forget(Session session) {
    for (String key : List.of(ID_TOKEN, ACCESS_TOKEN, REFRESH_TOKEN, EXPIRES_AT)) {
      session.remove(key);
    }
  }

  /** Ends the session; returns its ID token, for the provider's logout, or null. */
  public static String signOut(RoutingContext ctx) {
    Session session = ctx.session();
    if (session == null) {
      return null;
    }
    String idToken = session.get(ID_TOKEN);
    session.destroy();
    return idToken;
  }

  private static void putOrRemove(Session session, String key, String value) {
    if (value == null) {
      session.remove(key);
    } else {
      session.put(key, value);
    }
  }
}
