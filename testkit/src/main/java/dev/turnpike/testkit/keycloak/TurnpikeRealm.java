package dev.turnpike.testkit.keycloak;

import dev.turnpike.oidc.TrialRealm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The Turnpike realm as tests run it: the local trial's realm ({@link TrialRealm}: the production
 * realm {@code infra/keycloak/turnpike-realm.json} with {@code trial-additions.json}; their README
 * explains each choice), with client secrets made for this test JVM. The names and demo credentials
 * tests sign in with.
 */
public final class TurnpikeRealm {
  public static final String NAME = "turnpike";

  /** The audience of management API tokens; tokens for the clients below carry it. */
  public static final String API_AUDIENCE = "turnpike-api";

  /** Confidential clients for the owner console and the developer portal. */
  public static final String CONSOLE_CLIENT = TrialRealm.CONSOLE_CLIENT;

  /** Made for this test JVM: no secret of the realm is written down anywhere. */
  public static final String CONSOLE_CLIENT_SECRET = "console-" + UUID.randomUUID();

  public static final String PORTAL_CLIENT = TrialRealm.PORTAL_CLIENT;
  public static final String PORTAL_CLIENT_SECRET = "portal-" + UUID.randomUUID();

  /** The public client with the password grant, for scripts and tests. */
  public static final String CLI_CLIENT = "turnpike-cli";

  public static final String OWNER_ROLE = "owner";
  public static final String DEVELOPER_ROLE = "developer";

  public static final String DEMO_OWNER = "demo-owner";
  public static final String DEMO_OWNER_PASSWORD = "turnpike-demo-owner";
  public static final String DEMO_OWNER_EMAIL = "demo-owner@example.com";
  public static final String DEMO_DEVELOPER = "demo-developer";
  public static final String DEMO_DEVELOPER_PASSWORD = "turnpike-demo-developer";
  public static final String DEMO_DEVELOPER_EMAIL = "demo-developer@example.com";

  private static final Path RELATIVE_FILE = Path.of("infra", "keycloak", "turnpike-realm.json");

  private static Path trialFile;

  private TurnpikeRealm() {}

  /**
   * The trial realm with this JVM's client secrets, written once to a temporary file; the system
   * property {@code turnpike.keycloak.realm} names another file to use instead.
   */
  public static synchronized Path file() {
    String configured = System.getProperty("turnpike.keycloak.realm");
    if (configured != null) {
      return Path.of(configured);
    }
    if (trialFile == null) {
      trialFile = writeTrialRealm();
    }
    return trialFile;
  }

  private static Path writeTrialRealm() {
    Path production = productionFile();
    try {
      String trial =
          TrialRealm.compose(
              Files.readString(production),
              Files.readString(production.resolveSibling("trial-additions.json")),
              Map.of(CONSOLE_CLIENT, CONSOLE_CLIENT_SECRET, PORTAL_CLIENT, PORTAL_CLIENT_SECRET));
      Path file = Files.createTempFile("turnpike-trial-realm-", ".json");
      file.toFile().deleteOnExit();
      return Files.writeString(file, trial);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the trial realm from " + production, e);
    }
  }

  /**
   * The production realm file of this checkout, found from the working directory up (a module's
   * tests run in the module's folder): no users, no password grant, its secrets and public URLs
   * {@code ${...}} placeholders Keycloak fills from its environment at import.
   */
  public static Path productionFile() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path folder = start; folder != null; folder = folder.getParent()) {
      Path candidate = folder.resolve(RELATIVE_FILE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no " + RELATIVE_FILE + " in " + start + " or a folder above it");
  }
}
