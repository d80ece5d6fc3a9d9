package dev.turnpike.platform;

import dev.turnpike.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./turnpike up} as a user runs it: {@link PlatformMain} in a JVM of its own, on free ports,
 * with its state in a folder of the test's, its console captured to a file.
 */
final class LaunchedPlatform implements AutoCloseable {
  static final Duration READY_BUDGET = Duration.ofMinutes(10);

  final Process process;
  final Path console;
  final long readyMillis;

  private LaunchedPlatform(Process process, Path console, long readyMillis) {
    this.process = process;
    this.console = console;
    this.readyMillis = readyMillis;
  }

  /**
   * Free ports for every part, named by the variables that set them, all different: every socket
   * stays open until all are chosen, since a port closed at once may be handed out again by the
   * next {@code new ServerSocket(0)} (CI once gave the gateway's and metering's admin the same one,
   * and the launcher refused to start).
   */
  static Map<String, String> freePorts() {
    Map<String, String> env = new HashMap<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (String name :
          List.of(
              "TURNPIKE_POSTGRES_PORT",
              "TURNPIKE_KAFKA_PORT",
              "TURNPIKE_KAFKA_CONTROLLER_PORT",
              "TURNPIKE_KEYCLOAK_PORT",
              "TURNPIKE_CP_PORT",
              "TURNPIKE_GATEWAY_PORT",
              "TURNPIKE_GATEWAY_ADMIN_PORT",
              "TURNPIKE_GATEWAY_DOMAINS_PORT",
              "TURNPIKE_METERING_ADMIN_PORT",
              "TURNPIKE_BILLING_PORT",
              "TURNPIKE_PORTAL_PORT",
              "TURNPIKE_DEMO_BACKEND_PORT")) {
        ServerSocket socket = new ServerSocket(0);
        held.add(socket);
        env.put(name, Integer.toString(socket.getLocalPort()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException e) {
          // Closing a listening socket that accepted nothing: nothing to recover.
        }
      }
    }
    return env;
  }

  /** Starts the launcher and returns once it printed that the platform is up. */
  static LaunchedPlatform start(Path root, Map<String, String> env, Path console) {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dturnpike.root=" + root,
                "-cp",
                System.getProperty("java.class.path"),
                PlatformMain.class.getName())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("TURNPIKE_"));
    builder.environment().putAll(env);
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LaunchedPlatform platform = new LaunchedPlatform(process, console, 0);
    try {
      Await.until(
          READY_BUDGET,
          () -> {
            String out = platform.output();
            if (!process.isAlive()) {
              throw new AssertionError("the launcher exited " + process.exitValue() + ":\n" + out);
            }
            return out.contains("Turnpike is up");
          },
          () -> "the launcher to print 'Turnpike is up'; so far:\n" + platform.output());
    } catch (RuntimeException | AssertionError e) {
      platform.close();
      throw e;
    }
    return new LaunchedPlatform(
        process, console, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  String output() {
    try {
      return Files.readString(console);
    } catch (IOException e) {
      return "(cannot read " + console + ")";
    }
  }

  List<ProcessHandle> children() {
    return process.descendants().toList();
  }

  /** SIGTERM, as Ctrl-C's SIGINT, runs the launcher's shutdown hook. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
