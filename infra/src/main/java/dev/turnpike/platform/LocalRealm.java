package dev.turnpike.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.oidc.TrialRealm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The realm the local trial's embedded Keycloak imports: the production realm with the trial's demo
 * users and password grant ({@link TrialRealm}), and the client secrets {@link LocalSecrets} made
 * for this machine, which the console and the portal get too.
 */
final class LocalRealm {
  static final String FILE = "trial-realm.json";

  /**
   * The trial realm's confidential client with the client-credentials grant, whose tokens carry
   * {@value #DEMO_AUDIENCE}: a caller for a demo JWT authorizer
   * (infra/keycloak/trial-additions.json).
   */
  static final String DEMO_SERVICE = "demo-service";

  /** The audience the demo service's tokens carry (its audience mapper). */
  static final String DEMO_AUDIENCE = "demo-api";

  private LocalRealm() {}

  /**
   * Writes the trial realm into the state folder (owner-readable only: it holds the secrets) and
   * returns it.
   *
   * @throws PlatformException if the realm files are missing, or Keycloak's data was made by an
   *     earlier Turnpike with other client secrets (it imports a realm only once)
   */
  static Path write(PlatformSettings settings, String realm) {
    Path keycloak = settings.root().resolve("infra").resolve("keycloak");
    Path production = keycloak.resolve("turnpike-realm.json");
    Path additions = keycloak.resolve("trial-additions.json");
    for (Path file : new Path[] {production, additions}) {
      if (!Files.isRegularFile(file)) {
        throw new PlatformException("the Keycloak realm file " + file + " is missing");
      }
    }
    Path stateDir = settings.stateDir();
    Map<String, String> secrets =
        Map.of(
            TrialRealm.CONSOLE_CLIENT,
            LocalSecrets.consoleClientSecret(stateDir),
            TrialRealm.PORTAL_CLIENT,
            LocalSecrets.portalClientSecret(stateDir),
            DEMO_SERVICE,
            LocalSecrets.demoServiceClientSecret(stateDir));
    try {
      String trial =
          TrialRealm.compose(Files.readString(production), Files.readString(additions), secrets);
      refuseStaleImport(
          stateDir.resolve("keycloak/data/import").resolve(realm + "-realm.json"), secrets);
      Path file = stateDir.resolve(FILE);
      Files.createDirectories(stateDir);
      Files.writeString(file, trial);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new PlatformException("cannot write the trial realm: " + e.getMessage(), e);
    }
  }

  /**
   * Keycloak keeps the realm it imported on its first start and never imports again. One imported
   * by an earlier Turnpike holds that version's published client secrets, which the services now
   * refuse; say how to start afresh instead of failing at the first sign-in.
   */
  private static void refuseStaleImport(Path imported, Map<String, String> secrets)
      throws IOException {
    if (!Files.isRegularFile(imported)) {
      return;
    }
    JsonNode clients = new ObjectMapper().readTree(imported.toFile()).path("clients");
    for (JsonNode client : clients) {
      String expected = secrets.get(client.path("clientId").asText());
      if (expected != null && !expected.equals(client.path("secret").asText())) {
        throw new PlatformException(
            "the local Keycloak in "
                + imported.getParent().getParent().getParent()
                + " holds a realm made by an earlier Turnpike, with other client secrets. Remove"
                + " that folder to make it again with this version's realm: the demo users come"
                + " back, users registered since are lost");
      }
    }
  }
}
