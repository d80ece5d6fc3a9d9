package dev.turnpike.platform;

import dev.turnpike.platform.demo.DemoSeed;
import dev.turnpike.platform.keycloak.EmbeddedKeycloak;
import dev.turnpike.platform.process.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;

/**
 * {@code ./turnpike up}: starts the platform, prints where everything is, and runs until Ctrl-C (or
 * until a service stops by itself, which stops the rest and exits 1).
 */
public final class PlatformMain {
  /** The exit code of a JVM (or shell) ended by SIGINT, as Ctrl-C sends it: 128 + 2. */
  private static final int INTERRUPTED = 130;

  private PlatformMain() {}

  /**
   * Said first: what this runs is a trial (demo users, the password grant, secrets made for this
   * machine), and where the production set-up is.
   */
  static final String TRIAL_NOTICE =
      "turnpike: the local trial, with demo users and secrets made for this machine; not for"
          + " production (that is infra/compose or infra/k8s, see infra/README.md)";

  public static void main(String[] args) throws InterruptedException {
    Path root = Path.of(System.getProperty("turnpike.root", ".")).toAbsolutePath().normalize();
    PlatformSettings settings;
    try {
      settings = PlatformSettings.fromEnvironment(System.getenv(), root);
    } catch (IllegalArgumentException e) {
      System.err.println("turnpike: " + e.getMessage());
      System.exit(2);
      return;
    }
    Progress progress = new Progress(System.out);
    progress.line(TRIAL_NOTICE);
    Platform platform = new Platform(settings, System.getenv(), progress);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("platform-stop")
                .unstarted(
                    () -> {
                      if (platform.holdsAnything()) {
                        System.out.println("turnpike: stopping everything it started...");
                        platform.close();
                        System.out.println("turnpike: stopped");
                      }
                    }));
    try {
      platform.start();
    } catch (PlatformException e) {
      System.err.println("turnpike: " + e.getMessage());
      System.exit(1);
      return;
    }
    progress.close();
    printSummary(settings, platform, progress);
    ChildProcess stopped;
    try {
      stopped = platform.anyChildExit().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    if (platform.closing() || stopped.onExit().join().exitValue() == INTERRUPTED) {
      // Ctrl-C: the terminal interrupts every process of the group, the children too, and the
      // shutdown hook stops the rest; nothing stopped by itself.
      return;
    }
    System.err.printf(
        Locale.ROOT,
        "turnpike: %s stopped by itself (exit code %d); the end of %s:%n%s%n",
        stopped.name(),
        stopped.onExit().join().exitValue(),
        stopped.log(),
        ChildProcess.tail(stopped.log()));
    System.exit(1);
  }

  static void printSummary(PlatformSettings settings, Platform platform, Progress progress) {
    PlatformSettings.Ports ports = settings.ports();
    String controlPlane = "http://localhost:" + ports.controlPlane();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(Locale.ROOT, "%nTurnpike is up (%.1f s).%n%n", progress.elapsedSeconds()));
    boolean console = answersOtherThan404(controlPlane + "/console");
    row(
        out,
        "Owner console",
        console ? controlPlane + "/console" : "not in this build",
        console ? "sign in as " + DemoSeed.OWNER + " / " + DemoSeed.OWNER_PASSWORD : "");
    boolean portal = runs(platform, "portal-web");
    row(
        out,
        "Developer portal",
        portal ? "http://localhost:" + ports.portal() : "not in this build",
        portal ? "sign in as " + DemoSeed.DEVELOPER + " / " + DemoSeed.DEVELOPER_PASSWORD : "");
    row(out, "Management API", controlPlane + "/v1", "OpenAPI at /v1/openapi.json");
    row(
        out,
        "Gateway",
        "http://localhost:" + ports.gateway(),
        "path style /{tenant}/{api}/{stage}/...");
    row(
        out,
        "Custom domains",
        "https://<your domain>:" + ports.gatewayDomains(),
        "TLS by SNI, once a domain is verified");
    row(
        out,
        "Gateway metrics",
        "http://localhost:" + ports.gatewayAdmin() + "/metrics",
        "Prometheus");
    if (runs(platform, "metering")) {
      row(out, "Metering", "http://localhost:" + ports.metering() + "/metrics", "admin port");
      row(
          out,
          "Billing API",
          "http://localhost:" + ports.billing(),
          System.getenv("TURNPIKE_STRIPE_API_KEY") == null
              ? "ledger-only (no Stripe key)"
              : "Stripe");
    }
    row(
        out,
        "Keycloak",
        settings.keycloak().baseUrl(),
        settings.keycloak().embedded()
            ? "admin console: "
                + EmbeddedKeycloak.ADMIN_USER
                + " / "
                + EmbeddedKeycloak.ADMIN_PASSWORD
            : "");
    if (settings.keycloak().embedded()) {
      // The trial realm's client-credentials client: a token for a demo JWT authorizer (aud
      // demo-api) from the realm's token endpoint, with this machine's secret.
      row(
          out,
          "Demo service client",
          settings.keycloak().tokenEndpoint(),
          "client credentials: "
              + LocalRealm.DEMO_SERVICE
              + " / "
              + LocalSecrets.demoServiceClientSecret(settings.stateDir()));
    }
    DemoSeed.Demo demo = platform.demo();
    if (demo != null) {
      String url = demo.baseUrl(ports.gateway());
      out.append(
          String.format(
              Locale.ROOT,
              "%nDemo: tenant '%s', API '%s' deployed to stage '%s', plans '%s' and '%s'.%n"
                  + "Call it through the gateway with the demo app's key (Free plan):%n"
                  + "  curl -H 'x-api-key: %s' %s/hello%n"
                  + "  curl -H 'x-api-key: %s' -d 'hi' %s/echo%n"
                  + "and the demo function (a Lambda handler, through an aws_proxy integration):%n"
                  + "  curl -H 'x-api-key: %s' '%s?name=Ada'%n",
              demo.tenant(),
              demo.api(),
              demo.stage(),
              DemoSeed.FREE_PLAN,
              DemoSeed.PAID_PLAN,
              demo.apiKey(),
              url,
              demo.apiKey(),
              url,
              demo.apiKey(),
              demo.functionUrl(ports.gateway())));
      if (demo.jwtRoute()) {
        // The route behind the JWT authorizer, with a token of the realm's client-credentials
        // client: no API key, the gateway checks the token against the realm's keys.
        out.append(
            String.format(
                Locale.ROOT,
                "and with a token of the demo service client instead of a key (JWT authorizer):%n"
                    + "  TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=%s"
                    + " -d client_secret=%s %s | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')%n"
                    + "  curl -H \"Authorization: Bearer $TOKEN\" %s%n",
                LocalRealm.DEMO_SERVICE,
                LocalSecrets.demoServiceClientSecret(settings.stateDir()),
                settings.keycloak().tokenEndpoint(),
                demo.jwtUrl(ports.gateway())));
      }
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nData and logs: %s (logs/<service>.log). Stop with Ctrl-C.%n",
            settings.stateDir()));
    progress.line(out.toString());
  }

  private static boolean runs(Platform platform, String module) {
    return platform.running().stream().anyMatch(s -> s.module().equals(module));
  }

  private static void row(StringBuilder out, String what, String where, String note) {
    out.append(String.format(Locale.ROOT, "  %-17s %-45s %s%n", what, where, note));
  }

  private static boolean answersOtherThan404(String url) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 404;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
