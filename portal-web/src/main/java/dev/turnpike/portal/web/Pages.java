package dev.turnpike.portal.web;

import dev.turnpike.portal.api.ControlPlaneApi;
import dev.turnpike.webkit.CsrfGuard;
import dev.turnpike.webkit.SecurityHeaders;
import dev.turnpike.webkit.SessionPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders portal pages: every page gets the tenant and its branding, the signed-in person, the CSRF
 * token and a one-time flash message; and answers with the security headers.
 */
public final class Pages {
  private static final Logger LOG = LoggerFactory.getLogger(Pages.class);
  static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
  private static final String FLASH = "flash";

  private final PageRenderer renderer;
  private final ControlPlaneApi api;
  private final String identityOrigin;

  public Pages(PageRenderer renderer, ControlPlaneApi api, String identityProviderUrl) {
    this.renderer = renderer;
    this.api = api;
    this.identityOrigin = origin(identityProviderUrl);
  }

  /** The tenant of a path-style page ({@code :tenant}), with its branding, or a 404. */
  public Future<JsonObject> tenant(RoutingContext ctx) {
    String slug = ctx.pathParam("tenant");
    if (slug == null || !slug.matches("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?")) {
      return Future.failedFuture(PortalFailure.notFound("There is no portal here."));
    }
    return api.get(ControlPlaneApi.portal(slug, ""), null);
  }

  public void render(
      RoutingContext ctx, JsonObject tenant, String template, Map<String, Object> model) {
    render(ctx, 200, tenant, template, model);
  }

  public void render(
      RoutingContext ctx,
      int status,
      JsonObject tenant,
      String template,
      Map<String, Object> model) {
    Map<String, Object> all = new HashMap<>(model);
    JsonObject branding = tenant == null ? new JsonObject() : tenant.getJsonObject("branding");
    if (tenant != null) {
      String slug = tenant.getString("slug");
      all.put("tenant", Json.plain(tenant));
      all.put("base", "/portal/" + slug);
      all.put(
          "portalName",
          branding.getString("displayName") == null
              ? tenant.getString("name")
              : branding.getString("displayName"));
      all.put("logoUrl", safeLogo(branding.getString("logoUrl")));
    }
    Session session = ctx.session();
    if (session != null) {
      all.put("csrf", CsrfGuard.token(session));
      JsonObject flash = session.remove(FLASH);
      all.put("flash", flash == null ? null : Json.plain(flash));
    }
    JsonObject user = Auth.user(ctx);
    all.put("user", user == null ? null : Json.plain(user));
    all.put("requestId", RequestIds.of(ctx));
    String html;
    try {
      html = renderer.render(template, all);
    } catch (RuntimeException e) {
      if (ctx.failed()) {
        // The error page itself failed: answer in plain words rather than not at all.
        ctx.response()
            .setStatusCode(500)
            .putHeader("Content-Type", "text/plain; charset=utf-8")
            .end("Something went wrong. Request id: " + RequestIds.of(ctx));
      } else {
        ctx.fail(e);
      }
      return;
    }
    headers(ctx, safeLogo(branding == null ? null : branding.getString("logoUrl")));
    ctx.response().setStatusCode(status);
    // The page's form carries the session's CSRF token: its post may reach another instance.
    afterSave(
        ctx, () -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html));
  }

  /** Security headers of every page: only this origin's scripts, styles and frames. */
  public void headers(RoutingContext ctx, String logoUrl) {
    String images = "'self' data:" + (logoUrl == null ? "" : " " + origin(logoUrl));
    SecurityHeaders.policy(
            List.of(
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src " + images,
                "connect-src 'self'",
                "font-src 'self'",
                "object-src 'none'",
                "form-action 'self' " + identityOrigin))
        .apply(ctx.response());
  }

  public static void flash(RoutingContext ctx, String kind, String message) {
    if (ctx.session() != null) {
      ctx.session().put(FLASH, new JsonObject().put("kind", kind).put("message", message));
    }
  }

  /**
   * Redirects once the session is stored: the browser follows at once, perhaps to another portal
   * instance, which must see the sign-in's state, the signed-in session under its new id, or the
   * flash message this request set.
   */
  public static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303);
    afterSave(ctx, () -> ctx.response().putHeader("Location", location).end());
  }

  private static void afterSave(RoutingContext ctx, Runnable answer) {
    SessionPolicy.save(ctx)
        .onComplete(
            saved -> {
              if (saved.failed()) {
                LOG.warn("the portal session was not stored: {}", saved.cause().getMessage());
              }
              if (!ctx.response().ended() && !ctx.response().closed()) {
                answer.run();
              }
            });
  }

  /** A logo URL fit for an {@code img src}: absolute http(s), else none. */
  static String safeLogo(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
      return web && uri.getHost() != null && uri.getRawUserInfo() == null ? url : null;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  static String origin(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  /** Colours for the tenant's CSS variables: a hex triplet, else the default. */
  public static String colorOf(String value, String fallback) {
    return value != null && COLOR.matcher(value).matches() ? value : fallback;
  }
}
