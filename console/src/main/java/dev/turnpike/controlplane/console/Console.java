package dev.turnpike.controlplane.console;

import dev.turnpike.controlplane.ServerFeature;
import dev.turnpike.controlplane.ServerFeature.Wiring;
import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.console.oidc.ConsoleLogin;
import dev.turnpike.controlplane.console.oidc.SessionCheck;
import dev.turnpike.controlplane.console.pages.ApiPages;
import dev.turnpike.controlplane.console.pages.AppPages;
import dev.turnpike.controlplane.console.pages.AuditPage;
import dev.turnpike.controlplane.console.pages.DashboardPage;
import dev.turnpike.controlplane.console.pages.DeletePages;
import dev.turnpike.controlplane.console.pages.DeploymentPages;
import dev.turnpike.controlplane.console.pages.DeveloperPages;
import dev.turnpike.controlplane.console.pages.DomainPages;
import dev.turnpike.controlplane.console.pages.FunctionPages;
import dev.turnpike.controlplane.console.pages.GatewayAddresses;
import dev.turnpike.controlplane.console.pages.HomePages;
import dev.turnpike.controlplane.console.pages.ImportExportPages;
import dev.turnpike.controlplane.console.pages.MemberPages;
import dev.turnpike.controlplane.console.pages.PlanPages;
import dev.turnpike.controlplane.console.pages.PortalPages;
import dev.turnpike.controlplane.console.pages.WebSocketPages;
import dev.turnpike.controlplane.console.web.PageFailures;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.web.UseCases;
import dev.turnpike.webkit.CsrfGuard;
import dev.turnpike.webkit.SecurityHeaders;
import dev.turnpike.webkit.SessionPolicy;
import dev.turnpike.webkit.oidc.OidcClient;
import dev.turnpike.webkit.oidc.OidcClientSettings;
import dev.turnpike.webkit.oidc.OidcLogin;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.sstore.SessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner console: server-rendered pages under {@code /console/} on the management API's server,
 * calling the same use cases in-process, so validation, access checks and the audit trail are the
 * API's own. Sessions are server side, in the platform database, so any control plane instance
 * serves any session and a restart ends none; forms carry a per-session CSRF token. Without its
 * OIDC settings the console answers every page with a notice saying which settings are missing.
 */
public final class Console implements ServerFeature.Started {
  public static final String COOKIE = "turnpike_console";

  /** However busy, a session signs in again after this long. */
  static final Duration SESSION_MAX = Duration.ofHours(12);

  private static final Logger LOG = LoggerFactory.getLogger(Console.class);

  /** Room for the import form's other fields and multipart framing beside the document. */
  private static final int IMPORT_FORM_OVERHEAD = 64 * 1024;

  private final ConsoleSettings settings;
  private final Wiring wiring;
  private final Pages pages;
  private final OidcClient oidc;
  private final SessionStore sessions;

  private Console(ConsoleSettings settings, Wiring wiring) {
    this.settings = settings;
    this.wiring = wiring;
    this.sessions = wiring.sessions().forSite(COOKIE);
    this.pages = new Pages(wiring.blocking(), wiring.transactor(), wiring.useCases().tenants());
    if (settings.configured()) {
      JwksTokenVerifier.Config access = wiring.accessTokens();
      this.oidc =
          OidcClient.create(
              wiring.vertx(),
              new OidcClientSettings(
                  access.issuer(),
                  settings.oidcInternalUrl(),
                  settings.clientId(),
                  settings.clientSecret(),
                  access.leeway()));
    } else {
      this.oidc = null;
    }
  }

  /** The console as a feature of the control plane process. */
  public static ServerFeature feature(ConsoleSettings settings) {
    return wiring -> start(settings, wiring).map(console -> console);
  }

  /**
   * Creates the console and, when it is configured, discovers the provider and reads its keys. A
   * provider that is not up yet does not stop the control plane: the first sign-in tries again.
   */
  public static Future<Console> start(ConsoleSettings settings, Wiring wiring) {
    Console console = new Console(settings, wiring);
    if (console.oidc == null) {
      return Future.succeededFuture(console);
    }
    return console
        .oidc
        .ready()
        .onFailure(
            e ->
                LOG.warn(
                    "the identity provider is not available yet ({}); sign-ins will retry",
                    e.getMessage()))
        .otherwiseEmpty()
        .map(console);
  }

  /** The console's pages allow no script at all and only the console's own styles. */
  private SecurityHeaders securityHeaders() {
    List<String> policy =
        new ArrayList<>(List.of("default-src 'none'", "style-src 'self'", "img-src 'self'"));
    // The sign-out form ends at the provider after a redirect, and browsers apply form-action to
    // redirects too.
    policy.add("form-action 'self'" + (oidc == null ? "" : " " + oidc.providerOrigin()));
    return SecurityHeaders.policy(policy);
  }

  @Override
  public void mount(Router router) {
    Router console = Router.router(wiring.vertx());
    console.route().handler(securityHeaders());
    console.get("/static/*").handler(StaticHandler.create("console/static").setMaxAgeSeconds(3600));
    new SessionPolicy(COOKIE, "/console", settings.secure(), settings.sessionIdle(), SESSION_MAX)
        .mount(console, sessions);
    if (oidc == null) {
      console.route().handler(ctx -> ctx.fail(notConfigured()));
    } else {
      // An OpenAPI document may be larger than other forms: up to its own limit, plus the form.
      console
          .post(ImportExportPages.IMPORT)
          .handler(
              BodyHandler.create(uploads())
                  .setBodyLimit(
                      wiring.useCases().limits().max(Limit.IMPORT_DOCUMENT_BYTES)
                          + IMPORT_FORM_OVERHEAD)
                  .setDeleteUploadedFilesOnEnd(true))
          .failureHandler(this::documentTooLarge);
      console
          .post()
          .handler(
              BodyHandler.create(uploads())
                  .setBodyLimit(wiring.maxBodyBytes())
                  .setDeleteUploadedFilesOnEnd(true));
      console.post().handler(new CsrfGuard());
      console
          .route()
          .handler(new SessionCheck(oidc, wiring.accessVerifier(), settings.sessionCheck()));
      mountPages(console);
      console.route().handler(ctx -> ctx.fail(404));
    }
    console.route().failureHandler(new PageFailures(pages));
    // A route without a method, so the management API's endpoint list (and its OpenAPI test) does
    // not count the console.
    router
        .route("/console")
        .handler(
            ctx -> {
              // Vert.x matches "/console/" here too; only the bare path is sent on.
              if (ctx.request().path().equals("/console")) {
                ctx.redirect("/console/");
              } else {
                ctx.next();
              }
            });
    router.route("/console/*").subRouter(console);
  }

  private void mountPages(Router console) {
    UseCases u = wiring.useCases();
    new ConsoleLogin(
            new OidcLogin(oidc),
            settings.redirectUri(),
            settings.publicUrl() + "/console/",
            wiring.accessVerifier(),
            wiring.signIn(),
            wiring.blocking())
        .mount(console);
    new HomePages(pages, u.tenants(), u.directory()).mount(console);
    new DashboardPage(wiring.traffic(), pages, u).mount(console);
    new ApiPages(pages, u).mount(console);
    new FunctionPages(pages, u.functions()).mount(console);
    new DomainPages(pages, u.domains(), u.apis()).mount(console);
    new ImportExportPages(pages, u, wiring.blocking(), u.openApiImport(), u.openApiExport())
        .mount(console);
    GatewayAddresses gateway = new GatewayAddresses(settings.gatewayUrl());
    new DeploymentPages(pages, u, wiring.traffic(), gateway).mount(console);
    new WebSocketPages(pages, u, gateway).mount(console);
    new PlanPages(pages, u).mount(console);
    new PortalPages(pages, u, wiring.portal().admin()).mount(console);
    new DeveloperPages(pages, u, wiring.portal().developers(), wiring.portal().blocks())
        .mount(console);
    new AppPages(pages, u, wiring.users()).mount(console);
    new MemberPages(pages, u).mount(console);
    new DeletePages(pages, u).mount(console);
    new AuditPage(pages, u).mount(console);
  }

  /** An import form past its body limit says which limit, rather than only "too large". */
  private void documentTooLarge(RoutingContext ctx) {
    if (ctx.failure() == null && ctx.statusCode() == 413) {
      ctx.put(
          PageFailures.TOO_LARGE,
          wiring
              .useCases()
              .limits()
              .exceeded(Limit.IMPORT_DOCUMENT_BYTES, -1, null, ProblemKind.PAYLOAD_TOO_LARGE)
              .detail());
    }
    ctx.next();
  }

  private static String uploads() {
    return Path.of(System.getProperty("java.io.tmpdir"), "turnpike-console-uploads").toString();
  }

  /** What every console page says while its OIDC settings are missing. */
  private static PageFailures.NotConfigured notConfigured() {
    return new PageFailures.NotConfigured(
        "The owner console is not configured: set "
            + ConsoleSettings.PUBLIC_URL
            + " (the URL browsers reach this server at) and "
            + ConsoleSettings.CLIENT_SECRET
            + " (the secret of the console's OIDC client, "
            + "turnpike-console in the Turnpike realm), then restart the control plane.");
  }

  @Override
  public void close() {
    if (oidc != null) {
      oidc.close();
    }
    sessions.close();
  }
}
