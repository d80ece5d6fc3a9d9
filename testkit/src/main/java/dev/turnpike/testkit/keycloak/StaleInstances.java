package dev.turnpike.testkit.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Servers left behind by test JVMs that were killed before their shutdown hook ran (a test run
 * stopped with kill -9, say). Each server's folder is named after the JVM that started it, so a
 * folder whose JVM is gone belongs to no one: its server, if still running, is stopped and the
 * folder removed.
 */
final class StaleInstances {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private StaleInstances() {}

  static void stopAndRemove(Path instancesRoot) {
    if (!Files.isDirectory(instancesRoot)) {
      return;
    }
    try (Stream<Path> folders = Files.list(instancesRoot)) {
      for (Path folder : folders.toList()) {
        if (!ownerAlive(folder)) {
          serverOf(folder).ifPresent(server -> KeycloakProcesses.stop(server, GRACE));
          KeycloakDistribution.deleteTree(folder);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // Another JVM starting at the same time may be removing the same folders; what is left
      // is removed by a later start.
    }
  }

  private static boolean ownerAlive(Path folder) {
    String name = folder.getFileName().toString();
    int dash = name.indexOf('-');
    try {
      long owner = Long.parseLong(name.substring(0, Math.max(dash, 0)));
      return ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      // Not a folder this kit made: leave it alone.
      return true;
    }
  }

  /** The server's kc.sh, if it still runs; checked by its command line, as pids are reused. */
  private static Optional<ProcessHandle> serverOf(Path folder) {
    Path pidFile = folder.resolve("keycloak.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(pid)
          .filter(
              handle ->
                  handle
                      .info()
                      .commandLine()
                      .map(line -> line.contains(folder.toString()))
                      .orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
