package dev.turnpike.controlplane.console.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every console response carries: a content security policy that allows no script at all
 * and only the console's own styles, no framing, no referrer beyond the origin, no sniffing and no
 * caching of pages that show tenant data.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
  private final String policy;

  /**
   * @param providerOrigin the identity provider's origin: the sign-out form ends there after a
   *     redirect, and browsers apply form-action to redirects too; null when not configured
   */
  public SecurityHeaders(String providerOrigin) {
    this.policy =
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'"
            + (providerOrigin == null ? "" : " " + providerOrigin);
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", policy)
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("Cache-Control", "no-store");
    ctx.next();
  }
}
