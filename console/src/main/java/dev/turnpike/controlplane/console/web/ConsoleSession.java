package dev.turnpike.controlplane.console.web;

import dev.turnpike.controlplane.auth.Caller;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.util.UUID;

/**
 * What the console keeps in its server-side session. Only strings are stored, so the session store
 * can be swapped for a shared one without changing what is kept.
 */
public final class ConsoleSession {
  private static final String USER_ID = "console.userId";
  private static final String SUBJECT = "console.subject";
  private static final String EMAIL = "console.email";
  private static final String NAME = "console.name";
  private static final String ID_TOKEN = "console.idToken";
  private static final String REFRESH_TOKEN = "console.refreshToken";
  private static final String CHECKED_AT = "console.checkedAt";
  private static final String FLASH = "console.flash";
  private static final String STATE = "console.login.state";
  private static final String NONCE = "console.login.nonce";
  private static final String VERIFIER = "console.login.verifier";
  private static final String RETURN_TO = "console.login.returnTo";

  private ConsoleSession() {}

  /** A login in progress: what the provider's answer must match. */
  public record PendingLogin(String state, String nonce, String codeVerifier, String returnTo) {}

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

  public static void pending(RoutingContext ctx, PendingLogin login) {
    Session session = ctx.session();
    session.put(STATE, login.state());
    session.put(NONCE, login.nonce());
    session.put(VERIFIER, login.codeVerifier());
    session.put(RETURN_TO, login.returnTo());
  }

  /** The login in progress, removed so its state can be used once only; null when there is none. */
  public static PendingLogin takePending(RoutingContext ctx) {
    Session session = ctx.session();
    String state = session.remove(STATE);
    String nonce = session.remove(NONCE);
    String verifier = session.remove(VERIFIER);
    String returnTo = session.remove(RETURN_TO);
    return state == null || nonce == null || verifier == null
        ? null
        : new PendingLogin(state, nonce, verifier, returnTo);
  }

  /**
   * Signs the caller in: a new session id (so an id planted before login is worthless), the caller
   * and the ID token kept for the provider's logout.
   */
  public static void signIn(
      RoutingContext ctx, Caller caller, String idToken, String refreshToken, long nowMillis) {
    Session session = ctx.session().regenerateId();
    session.put(USER_ID, caller.userId().toString());
    session.put(SUBJECT, caller.subject());
    if (caller.email() != null) {
      session.put(EMAIL, caller.email());
    }
    if (caller.displayName() != null) {
      session.put(NAME, caller.displayName());
    }
    renewed(ctx, idToken, refreshToken, nowMillis);
  }

  /** The provider still honours the session: its new tokens and when that was learned. */
  public static void renewed(
      RoutingContext ctx, String idToken, String refreshToken, long nowMillis) {
    Session session = ctx.session();
    session.put(ID_TOKEN, idToken);
    if (refreshToken == null) {
      session.remove(REFRESH_TOKEN);
    } else {
      session.put(REFRESH_TOKEN, refreshToken);
    }
    session.put(CHECKED_AT, Long.toString(nowMillis));
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

  public static String refreshToken(RoutingContext ctx) {
    return ctx.session().get(REFRESH_TOKEN);
  }

  /** When the provider last confirmed the session, in epoch milliseconds; 0 when never. */
  public static long checkedAt(RoutingContext ctx) {
    String value = ctx.session().get(CHECKED_AT);
    return value == null ? 0 : Long.parseLong(value);
  }

  /** Ends the console session and returns the ID token for the provider's logout, or null. */
  public static String signOut(RoutingContext ctx) {
    Session session = ctx.session();
    String idToken = session.get(ID_TOKEN);
    session.destroy();
    return idToken;
  }
}
