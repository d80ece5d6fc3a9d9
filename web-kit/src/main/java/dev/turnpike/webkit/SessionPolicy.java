package dev.turnpike.webkit;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.SessionStore;
import java.util.ArrayList;

/**
 * How a server-rendered site keeps its server-side sessions: the cookie carries only a long random
 * id, is HttpOnly (no script reads it), SameSite=Lax (a cross-site form post does not carry it) and
 * Secure when browsers reach the site over HTTPS. A session ends after {@code idle} without a
 * request, and at the latest {@code absolute} after it began or signed in, however busy. Where the
 * sessions live is the site's choice of {@link SessionStore}: in production a shared one ({@link
 * dev.turnpike.webkit.session.PostgresSessionStore}), so that any instance serves any request and a
 * restart ends no session.
 *
 * @param cookieName the session cookie's name
 * @param cookiePath the path the cookie is sent for
 * @param secure whether the cookie is sent over HTTPS only
 * @param idle how long a session lives without a request
 * @param absolute how long a session lives at most
 */
public record SessionPolicy(
    String cookieName,
    String cookiePath,
    boolean secure,
    java.time.Duration idle,
    java.time.Duration absolute) {
  private static final String STARTED_AT = "webkit.session.startedAt";
  private static final String HANDLER = "webkit.session.handler";

  /** Routes every request of {@code router} through the sessions. */
  public void mount(Router router, SessionStore store) {
    SessionHandler sessions = handler(store);
    router
        .route()
        .handler(
            ctx -> {
              ctx.put(HANDLER, sessions);
              sessions.handle(ctx);
            })
        .handler(absoluteLimit());
  }

  /**
   * Stores the request's session now rather than as the response's headers go out. Vert.x starts
   * that write without waiting for it, so with a shared store the browser's next request (a
   * redirect is followed at once, perhaps by another instance) could read the session as it was. A
   * site answers after this completes; the store is then not written again for the request. Call
   * with the response's status already set: as Vert.x does, an error status stores nothing.
   */
  public static Future<Void> save(RoutingContext ctx) {
    SessionHandler sessions = ctx.get(HANDLER);
    if (sessions == null || ctx.session() == null) {
      return Future.succeededFuture();
    }
    return sessions.flush(ctx, false);
  }

  /** The session handler with this policy's cookie and idle timeout, on {@code store}. */
  public SessionHandler handler(SessionStore store) {
    return SessionHandler.create(store)
        .setSessionCookieName(cookieName)
        .setSessionCookiePath(cookiePath)
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.LAX)
        .setCookieSecureFlag(secure)
        .setSessionTimeout(idle.toMillis())
        .setMinLength(32);
  }

  /**
   * Ends a session older than {@link #absolute}: the request goes on in a fresh, empty session
   * under a new id, as a stranger's would.
   */
  public Handler<RoutingContext> absoluteLimit() {
    return ctx -> {
      Session session = ctx.session();
      if (session != null) {
        long now = System.currentTimeMillis();
        String started = session.get(STARTED_AT);
        if (started == null) {
          session.put(STARTED_AT, Long.toString(now));
        } else if (now - Long.parseLong(started) >= absolute.toMillis()) {
          new ArrayList<>(session.data().keySet()).forEach(session::remove);
          session.regenerateId().put(STARTED_AT, Long.toString(now));
        }
      }
      ctx.next();
    };
  }

  /**
   * A new id for the request's session, keeping its data; the absolute limit counts from here. Call
   * at sign-in, so an id planted in the browser before it (session fixation) is worthless.
   */
  public static Session rotate(RoutingContext ctx) {
    Session session = ctx.session().regenerateId();
    session.put(STARTED_AT, Long.toString(System.currentTimeMillis()));
    return session;
  }
}
