package dev.turnpike.platform;

import dev.turnpike.contracts.domain.SealedSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Secrets the local platform makes for itself once and keeps in its state folder (readable by its
 * owner only), so services that must share one agree across restarts without the user choosing it.
 * None is written down anywhere else: the local trial runs on no published secret.
 */
final class LocalSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private LocalSecrets() {}

  /**
   * The token the control plane sends to metering's billing API ({@code TURNPIKE_INTERNAL_TOKEN}):
   * read from {@code internal-token} in the state folder, made there on the first run.
   */
  static String internalToken(Path stateDir) {
    return kept(stateDir, "internal-token");
  }

  /** The owner console's client secret, in the trial realm and {@code TURNPIKE_CP_CONSOLE_*}. */
  static String consoleClientSecret(Path stateDir) {
    return kept(stateDir, "console-client-secret");
  }

  /** The developer portal's client secret, in the trial realm and {@code TURNPIKE_PORTAL_*}. */
  static String portalClientSecret(Path stateDir) {
    return kept(stateDir, "portal-client-secret");
  }

  /**
   * The demo service's client secret (client-credentials grant, {@link LocalRealm#DEMO_SERVICE}),
   * in the trial realm and printed by {@code ./turnpike up} for fetching a token by hand.
   */
  static String demoServiceClientSecret(Path stateDir) {
    return kept(stateDir, "demo-service-client-secret");
  }

  /**
   * The operator's secret key ({@code TURNPIKE_SECRET_KEY}) custom domains' private keys are sealed
   * under: the control plane seals with it and every gateway opens with it, so both get this one.
   */
  static String secretKey(Path stateDir) {
    return kept(stateDir, "secret-key", SealedSecrets::newBase64Key);
  }

  private static String kept(Path stateDir, String name) {
    return kept(
        stateDir,
        name,
        () -> {
          byte[] bytes = new byte[32];
          RANDOM.nextBytes(bytes);
          return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        });
  }

  private static String kept(Path stateDir, String name, Supplier<String> make) {
    Path file = stateDir.resolve(name);
    try {
      if (Files.isRegularFile(file)) {
        return Files.readString(file).strip();
      }
      String secret = make.get();
      Files.createDirectories(stateDir);
      Files.writeString(file, secret + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return secret;
    } catch (IOException e) {
      throw new PlatformException(
          "cannot keep the " + name + " in " + file + ": " + e.getMessage(), e);
    }
  }
}
