package dev.turnpike.webkit;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Headers every page of a server-rendered site carries: a content security policy that always
 * refuses framing ({@code frame-ancestors 'none'}, and X-Frame-Options for older browsers) and
 * {@code <base>} tags, no content-type sniffing, no referrer beyond the origin, and no caching of
 * pages that show a tenant's or a person's data.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
  private final String policy;

  private SecurityHeaders(String policy) {
    this.policy = policy;
  }

  /**
   * @param directives the site's own policy, e.g. {@code "default-src 'none'"}, {@code "style-src
   *     'self'"}, {@code "form-action 'self' https://id.example.com"}; the framing and base-uri
   *     refusals are added
   */
  public static SecurityHeaders policy(List<String> directives) {
    List<String> all = new ArrayList<>(directives);
    all.add("base-uri 'none'");
    all.add("frame-ancestors 'none'");
    return new SecurityHeaders(String.join("; ", all));
  }

  public String contentSecurityPolicy() {
    return policy;
  }

  @Override
  public void handle(RoutingContext ctx) {
    apply(ctx.response());
    ctx.next();
  }

  /** Puts the headers on a response, for a page whose policy is made per request. */
  public void apply(HttpServerResponse response) {
    response
        .putHeader("Content-Security-Policy", policy)
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("Cache-Control", "no-store");
  }
}
