package dev.turnpike.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets the local platform makes for itself once and keeps in its state folder (readable by its
 * owner only), so services that must share one agree across restarts without the user choosing it.
 */
final class LocalSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private LocalSecrets() {}

  /**
   * The token the control plane sends to metering's billing API ({@code TURNPIKE_INTERNAL_TOKEN}):
   * read from {@code internal-token} in the state folder, made there on the first run.
   */
  static String internalToken(Path stateDir) {
    Path file = stateDir.resolve("internal-token");
    try {
      if (Files.isRegularFile(file)) {
        return Files.readString(file).strip();
      }
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Files.createDirectories(stateDir);
      Files.writeString(file, token + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return token;
    } catch (IOException e) {
      throw new PlatformException(
          "cannot keep the internal token in " + file + ": " + e.getMessage(), e);
    }
  }
}
