package dev.turnpike.webkit;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Synchronizer-token CSRF protection for server-rendered forms (the owner console, the developer
 * portal): each session holds a random secret, every form carries it in a hidden field, and every
 * POST without the session's secret is refused before any handler runs. SameSite=Lax on the session
 * cookie is the second line.
 */
public final class CsrfGuard implements Handler<RoutingContext> {
  public static final String FIELD = "_csrf";
  private static final String KEY = "csrf";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Consumer<RoutingContext> refuse;

  /** Refuses with 403 and a {@link CsrfRejected}, for the site's failure handler to render. */
  public CsrfGuard() {
    this(ctx -> ctx.fail(403, new CsrfRejected()));
  }

  /** Refuses as {@code refuse} says, e.g. with a failure the site's error pages know. */
  public CsrfGuard(Consumer<RoutingContext> refuse) {
    this.refuse = refuse;
  }

  /** The session's token, made on first use. */
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
      refuse.accept(ctx);
      return;
    }
    ctx.next();
  }

  /** A POST without the session's token. */
  public static final class CsrfRejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CsrfRejected() {
      super("The form did not carry this session's token", null, false, false);
    }
  }
}
