package dev.turnpike.testkit.keycloak;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Turnpike realm as {@code infra/keycloak/turnpike-realm.json} defines it (its README explains
 * each choice): the names and demo credentials tests sign in with.
 */
public final class TurnpikeRealm {
  public static final String NAME = "turnpike";

  /** The audience of management API tokens; tokens for the clients below carry it. */
  public static final String API_AUDIENCE = "turnpike-api";

  /** Confidential clients for the owner console and the developer portal; local secrets only. */
  public static final String CONSOLE_CLIENT = "turnpike-console";

  public static final String CONSOLE_CLIENT_SECRET = "turnpike-console-local-secret";
  public static final String PORTAL_CLIENT = "turnpike-portal";
  public static final String PORTAL_CLIENT_SECRET = "turnpike-portal-local-secret";

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

  private TurnpikeRealm() {}

  /**
   * The realm file of this checkout, found from the working directory up (a module's tests run in
   * the module's folder); the system property {@code turnpike.keycloak.realm} names another.
   */
  public static Path file() {
    String configured = System.getProperty("turnpike.keycloak.realm");
    if (configured != null) {
      return Path.of(configured);
    }
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
