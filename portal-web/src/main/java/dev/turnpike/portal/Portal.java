package dev.turnpike.portal;

import dev.turnpike.listener.ListenerGuard;
import dev.turnpike.portal.api.ControlPlaneApi;
import dev.turnpike.portal.pages.AccountPages;
import dev.turnpike.portal.pages.AppPages;
import dev.turnpike.portal.pages.CatalogPages;
import dev.turnpike.portal.pages.InvoicePages;
import dev.turnpike.portal.pages.TryIt;
import dev.turnpike.portal.pages.TryItLimits;
import dev.turnpike.portal.web.Auth;
import dev.turnpike.portal.web.ErrorPages;
import dev.turnpike.portal.web.PageRenderer;
import dev.turnpike.portal.web.Pages;
import dev.turnpike.portal.web.PortalFailure;
import dev.turnpike.portal.web.RequestIds;
import dev.turnpike.portal.web.TenantHosts;
import dev.turnpike.webkit.CsrfGuard;
import dev.turnpike.webkit.SessionPolicy;
import dev.turnpike.webkit.oidc.OidcClient;
import dev.turnpike.webkit.oidc.OidcClientSettings;
import dev.turnpike.webkit.oidc.OidcLogin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The developer portal process: discovers the identity provider, then serves the pages. {@link
 * #start} returns once it listens, or throws naming what failed.
 */
public final class Portal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Portal.class);
  static final String SESSION_COOKIE = "turnpike_portal";

  /** However busy, a developer signs in again after this long. */
  static final Duration SESSION_MAX = Duration.ofHours(12);

  /** Clock skew an ID token's expiry is allowed. */
  private static final Duration LEEWAY = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final HttpServer server;
  private final PortalSettings settings;
  private final PortalSessions sessions;

  private Portal(Vertx vertx, HttpServer server, PortalSettings settings, PortalSessions sessions) {
    this.vertx = vertx;
    this.server = server;
    this.settings = settings;
    this.sessions = sessions;
  }

  public static Portal start(PortalSettings configured) {
    return start(configured, Clock.systemUTC());
  }

  /** With the clock that decides when a session's access token is due for a refresh. */
  public static Portal start(PortalSettings configured, Clock clock) {
    LOG.info("starting with {}", configured);
    Vertx vertx = Vertx.vertx();
    PortalSessions sessions = null;
    try {
      sessions = PortalSessions.open(vertx, configured.sessionDatabase(), SESSION_COOKIE);
      WebClient http =
          WebClient.create(
              vertx,
              new WebClientOptions()
                  .setConnectTimeout(5_000)
                  .setUserAgent("turnpike-portal")
                  .setFollowRedirects(false));
      OidcClient oidc =
          OidcClient.create(
              vertx,
              new OidcClientSettings(
                  configured.oidcIssuer(),
                  configured.oidcInternalUrl(),
                  configured.clientId(),
                  configured.clientSecret(),
                  LEEWAY));
      // A portal that cannot sign anyone in does not start: the provider must be there.
      await(oidc.ready());
      Router router = Router.router(vertx);
      // The public URL may depend on the port, known only once listening: routes read it late.
      PortalSettings[] effective = {configured};
      HttpServer server =
          new ListenerGuard("developer portal", configured.listener())
              .createServer(vertx, new HttpServerOptions())
              .requestHandler(router);
      server = await(server.listen(configured.port(), configured.host()));
      effective[0] = configured.withPublicUrlFor(server.actualPort());
      mount(vertx, router, http, oidc, effective[0], clock, sessions);
      LOG.info("developer portal listening at {}", effective[0].publicUrl());
      return new Portal(vertx, server, effective[0], sessions);
    } catch (RuntimeException e) {
      vertx.close();
      if (sessions != null) {
        sessions.close();
      }
      throw e;
    }
  }

  private static void mount(
      Vertx vertx,
      Router router,
      WebClient http,
      OidcClient oidc,
      PortalSettings settings,
      Clock clock,
      PortalSessions sessions) {
    ControlPlaneApi api = new ControlPlaneApi(http, settings.controlPlaneUrl());
    Pages pages =
        new Pages(new PageRenderer(settings.cacheTemplates()), api, settings.oidcIssuer());
    Auth auth = new Auth(oidc, clock);
    TenantHosts hosts = new TenantHosts(settings.hostDomain(), settings.publicUrl());
    ErrorPages errors = new ErrorPages(pages);

    router.route().handler(RequestIds::assign);
    router.route().handler(hosts);
    router
        .route("/webjars/*")
        .handler(
            ctx -> {
              ctx.response().putHeader("X-Content-Type-Options", "nosniff");
              ctx.next();
            })
        .handler(StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86_400));
    router
        .route("/static/*")
        .handler(
            ctx -> {
              ctx.response().putHeader("X-Content-Type-Options", "nosniff");
              ctx.next();
            })
        .handler(StaticHandler.create("static").setMaxAgeSeconds(300));
    router.get("/health").handler(ctx -> ctx.response().end("ok"));
    new SessionPolicy(
            SESSION_COOKIE,
            "/",
            settings.publicUrl().startsWith("https:"),
            settings.sessionTimeout(),
            SESSION_MAX)
        // In PostgreSQL through a sessions-only login when configured (any instance serves any
        // request), else in this process's memory; see PortalSessions.
        .mount(router, sessions.store());
    // Every form posts under /portal/; a path-less POST route would turn unknown GETs into 405s.
    router.post("/portal/*").handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    router.post("/portal/*").handler(new CsrfGuard(ctx -> ctx.fail(PortalFailure.expiredForm())));

    TryIt tryIt =
        new TryIt(
            vertx, tryItClient(vertx, settings.tryIt()), settings.gatewayUrl(), settings.tryIt());
    new CatalogPages(pages, api, auth, tryIt).mount(router);
    new AccountPages(pages, api, new OidcLogin(oidc), auth, hosts).mount(router);
    new AppPages(pages, api, auth, hosts).mount(router);
    new InvoicePages(pages, api, auth).mount(router);

    router.route().failureHandler(errors);
    router.errorHandler(404, errors.forStatus(404));
    router.errorHandler(405, errors.forStatus(405));
    router.errorHandler(413, errors.forStatus(413));
    router.errorHandler(500, errors);
  }

  /**
   * The try-it panel's own client: its calls wait on a gateway the developer chose the path of, so
   * they get a pool of their own and a short queue rather than the control plane's connections.
   */
  private static HttpClient tryItClient(Vertx vertx, TryItLimits limits) {
    return vertx.createHttpClient(
        new HttpClientOptions()
            .setConnectTimeout((int) Math.min(5_000, limits.timeout().toMillis())),
        new PoolOptions().setHttp1MaxSize(32).setHttp2MaxSize(4).setMaxWaitQueueSize(64));
  }

  public int port() {
    return server.actualPort();
  }

  public String publicUrl() {
    return settings.publicUrl();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "developer portal start-up failed: " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("developer portal start-up timed out", e);
    }
  }

  @Override
  public void close() {
    try {
      await(vertx.close());
    } finally {
      sessions.close();
    }
  }
}
