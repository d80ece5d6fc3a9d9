package dev.turnpike.testkit.keycloak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** What the kit does to the {@code kc.sh} processes it starts: their environment and their end. */
final class KeycloakProcesses {
  private static final int TAIL_LINES = 40;

  private KeycloakProcesses() {}

  /**
   * Runs Keycloak on the given JDK and keeps the developer's own Keycloak, Quarkus and JVM settings
   * (say a {@code KC_DB} exported for another project) out of the test server.
   */
  static void cleanEnvironment(Map<String, String> environment, Path javaHome) {
    environment
        .keySet()
        .removeIf(
            name ->
                name.startsWith("KC_")
                    || name.startsWith("QUARKUS_")
                    || name.startsWith("JAVA_OPTS")
                    || name.equals("JAVA_ADD_OPENS")
                    || name.equals("JAVA_TOOL_OPTIONS")
                    || name.equals("JDK_JAVA_OPTIONS")
                    || name.equals("JAVA"));
    environment.put("JAVA_HOME", javaHome.toString());
  }

  /**
   * Stops a process and all it started: {@code kc.sh} runs the server JVM as its child, and a child
   * left behind would keep the port and the memory. Asks politely first (SIGTERM, which Keycloak
   * answers with a graceful shutdown), then kills what is left after {@code grace}.
   */
  static void stop(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root)).toList();
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    boolean interrupted = false;
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  static void stop(Process process, Duration grace) {
    stop(process.toHandle(), grace);
  }

  /** The last lines of a log, for failure messages that explain themselves. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
