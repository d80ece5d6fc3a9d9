package dev.turnpike.portal.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/**
 * Per-tenant portals by host: with the domain {@code portal.example.com}, a request to {@code
 * acme.portal.example.com/apps} is served as {@code /portal/acme/apps}. Links in pages use the path
 * form, which works on every host. Sign-in returns to the host the browser used, so its session
 * cookie is there. A tenant's host serves that tenant's portal only: another tenant's path there
 * ({@code acme.portal.example.com/portal/beta/...}) is not found, so no page of beta's ever appears
 * under acme's name (or with acme's cookies).
 */
public final class TenantHosts implements Handler<RoutingContext> {
  private final String domain;
  private final String publicUrl;

  /**
   * @param domain null when portals are served by path only
   */
  public TenantHosts(String domain, String publicUrl) {
    this.domain = domain;
    this.publicUrl = publicUrl;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String tenant = tenantOfHost(ctx);
    // The path the router matches: dot segments removed and unreserved escapes decoded.
    String path = ctx.normalizedPath();
    if (tenant != null && path.startsWith("/portal/") && !tenant.equals(portalOf(path))) {
      ctx.fail(404);
      return;
    }
    if (tenant != null
        && !path.startsWith("/portal/")
        && !path.startsWith("/static/")
        && !path.startsWith("/webjars/")
        && !path.startsWith("/oidc/")
        && !path.equals("/health")) {
      String query = ctx.request().query();
      ctx.reroute(
          "/portal/"
              + tenant
              + (path.equals("/") ? "" : path)
              + (query == null ? "" : "?" + query));
      return;
    }
    ctx.next();
  }

  /** The tenant segment of a {@code /portal/...} path. */
  private static String portalOf(String path) {
    int start = "/portal/".length();
    int end = path.indexOf('/', start);
    return path.substring(start, end < 0 ? path.length() : end);
  }

  /** The tenant whose host this request came to, or null. */
  public String tenantOfHost(RoutingContext ctx) {
    if (domain == null || ctx.request().authority() == null) {
      return null;
    }
    String host = ctx.request().authority().host().toLowerCase(java.util.Locale.ROOT);
    String suffix = "." + domain;
    if (!host.endsWith(suffix)) {
      return null;
    }
    String tenant = host.substring(0, host.length() - suffix.length());
    return tenant.matches("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?") ? tenant : null;
  }

  /** The base URL the browser reached the portal at: the tenant's host, or the public URL. */
  public String baseUrl(RoutingContext ctx) {
    String tenant = tenantOfHost(ctx);
    if (tenant == null) {
      return publicUrl;
    }
    URI configured = URI.create(publicUrl);
    int port = ctx.request().authority().port();
    return configured.getScheme() + "://" + tenant + "." + domain + (port > 0 ? ":" + port : "");
  }
}
