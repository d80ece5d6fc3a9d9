package dev.turnpike.platform.process;

import dev.turnpike.platform.PlatformException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A process the platform started (a service JVM, the Kafka broker, Keycloak), its output appended
 * to a log file of its own. It is stopped with everything it started in turn: {@code kc.sh} runs
 * Keycloak's JVM as its child, and a child left behind would keep the port.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(250);
  private static final int TAIL_LINES = 30;

  private final String name;
  private final Process process;
  private final Path log;
  private final Duration stopGrace;

  private ChildProcess(String name, Process process, Path log, Duration stopGrace) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.stopGrace = stopGrace;
  }

  /**
   * Starts {@code command} in {@code workDir} with {@code environment} as its whole environment.
   */
  public static ChildProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path workDir,
      Path log,
      Duration stopGrace) {
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "---- " + java.time.Instant.now() + " starting " + name + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().clear();
      builder.environment().putAll(environment);
      return new ChildProcess(name, builder.start(), log, stopGrace);
    } catch (IOException e) {
      throw new PlatformException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for the process to end and returns its exit code. Blocks this thread only, unlike {@link
   * #onExit}, whose completion needs a common-pool thread.
   *
   * @throws PlatformException if it is still running after {@code timeout}
   */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new PlatformException(name + " did not finish within " + timeout + "; see " + log);
    }
    return process.exitValue();
  }

  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** Waits for {@code ready} to hold, failing early if the process exits. */
  public void awaitReady(BooleanSupplier ready, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new PlatformException(
            name
                + " exited with code "
                + process.exitValue()
                + " while starting; the end of "
                + log
                + ":\n"
                + tail(log));
      }
      if (ready.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new PlatformException(
            name + " was not ready within " + timeout + "; the end of " + log + ":\n" + tail(log));
      }
      try {
        process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlatformException("interrupted while waiting for " + name, e);
      }
    }
  }

  /** True when GET {@code url} answers 200; false while the server is not listening yet. */
  public static BooleanSupplier answers200(HttpClient http, String url) {
    return answers200(
        http, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build());
  }

  /** True when {@code request} answers 200; false while the server is not listening yet. */
  public static BooleanSupplier answers200(HttpClient http, HttpRequest request) {
    return () -> {
      try {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    };
  }

  /** SIGTERM to the process and its descendants, SIGKILL to what is left after the grace. */
  @Override
  public void close() {
    stopTree(process.toHandle(), stopGrace);
  }

  static void stopTree(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root)).toList();
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** The last lines of a log, so a failure message explains itself. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
