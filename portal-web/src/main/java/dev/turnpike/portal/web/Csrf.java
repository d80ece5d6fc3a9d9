package dev.turnpike.portal.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Synchronizer-token CSRF protection: every session has a random token, every form carries it in
 * {@code _csrf}, and every POST must send it back. SameSite=Lax cookies already keep most
 * cross-site posts out; this closes the rest (same-site subdomains, older browsers).
 */
public final class Csrf implements Handler<RoutingContext> {
  public static final String FIELD = "_csrf";
  private static final String KEY = "csrf";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The session's token, created on first use. */
  public static String token(Session session) {
    String token = session.get(KEY);
    if (token == null) {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      session.put(KEY, token);
    }
    return token;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Session session = ctx.session();
    String expected = session == null ? null : session.get(KEY);
    String sent = ctx.request().getFormAttribute(FIELD);
    if (expected == null
        || sent == null
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
      ctx.fail(
          new PortalFailure(
              PortalFailure.Kind.EXPIRED_FORM,
              "This form has expired or did not come from this portal. Go back, reload the page"
                  + " and try again."));
      return;
    }
    ctx.next();
  }
}
