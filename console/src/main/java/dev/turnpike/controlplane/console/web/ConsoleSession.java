package dev.turnpike.controlplane.console.web;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.webkit.oidc.OidcTokens;
import dev.turnpike.webkit.oidc.SessionTokens;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.util.UUID;

/**
 * What the console keeps in its server-side session beside the provider's tokens ({@link
 * SessionTokens}): the signed-in caller, when the provider last confirmed the session, and a flash
 * message. Only strings are stored, so the session store can be swapped for a shared one without
 * changing what is kept.
 */
public final class ConsoleSession {
  private static final String USER_ID = "console.userId";
  private static final String SUBJECT = "console.subject";
  private static final String EMAIL = "console.email";
  private static final String NAME = "console.name";
  private static final String CHECKED_AT = "console.checkedAt";
  private static final String FLASH = "console.flash";

  private ConsoleSession() {}

  /** The signed-in person, or null. */
  public static Caller caller(RoutingContext ctx) {
    Session session = ctx.session();
    if (session == null || session.get(USER_ID) == null) {
      return null;
    }
    return new Caller(
        UUID.fromString(session.get(USER_ID)),
        session.get(SUBJECT),
        session.get(EMAIL),
        session.get(NAME));
  }

  /**
   * Signs the caller in: a new session id (so an id planted before login is worthless), the caller,
   * and the tokens (the ID token for the provider's logout, the refresh token to check the session
   * with).
   */
  public static void signIn(RoutingContext ctx, Caller caller, OidcTokens tokens, long nowMillis) {
    Session session = SessionTokens.signIn(ctx, tokens);
    session.put(USER_ID, caller.userId().toString());
    session.put(SUBJECT, caller.subject());
    if (caller.email() != null) {
      session.put(EMAIL, caller.email());
    }
    if (caller.displayName() != null) {
      session.put(NAME, caller.displayName());
    }
    session.put(CHECKED_AT, Long.toString(nowMillis));
  }

  /** The provider still honours the session: its new tokens and when that was learned. */
  public static void renewed(RoutingContext ctx, OidcTokens tokens, long nowMillis) {
    SessionTokens.put(ctx.session(), tokens);
    ctx.session().put(CHECKED_AT, Long.toString(nowMillis));
  }

  /** The session's tokens, or null when it is not signed in. */
  public static OidcTokens tokens(RoutingContext ctx) {
    return SessionTokens.of(ctx.session());
  }

  /** Keeps a message for the next page this session renders. */
  public static void flash(RoutingContext ctx, String message) {
    ctx.session().put(FLASH, message);
  }

  /** The message waiting for the next page, or null; it stays until {@link #flashShown}. */
  public static String flash(RoutingContext ctx) {
    Session session = ctx.session();
    return session == null ? null : session.get(FLASH);
  }

  /** The waiting message was rendered: it is not shown again. */
  public static void flashShown(RoutingContext ctx, String message) {
    Session session = ctx.session();
    if (session != null && message != null && message.equals(session.get(FLASH))) {
      session.remove(FLASH);
    }
  }

  /** When the provider last confirmed the session, in epoch milliseconds; 0 when never. */
  public static long checkedAt(RoutingContext ctx) {
    String value = ctx.session().get(CHECKED_AT);
    return value == null ? 0 : Long.parseLong(value);
  }

  /** Ends the console session and returns the ID token for the provider's logout, or null. */
  public static String signOut(RoutingContext ctx) {
    return SessionTokens.signOut(ctx);
  }
}
