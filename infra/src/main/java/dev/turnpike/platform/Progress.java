package dev.turnpike.platform;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Progress lines on the console, each with the seconds since {@code up} began. While parts are
 * starting, a line every {@link #HEARTBEAT} names those still at it, so a long wait (Keycloak's
 * first start) never looks like a hang.
 */
public final class Progress implements AutoCloseable {
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final PrintStream out;
  private final long started = System.nanoTime();
  private final Map<String, Long> starting = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          task -> Thread.ofPlatform().daemon().name("progress").unstarted(task));

  public Progress(PrintStream out) {
    this.out = out;
    ticker.scheduleAtFixedRate(
        this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void step(String message) {
    out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsedSeconds(), message);
    out.flush();
  }

  /** Marks {@code part} as starting, for the heartbeat. */
  public void begin(String part) {
    starting.put(part, System.nanoTime());
  }

  public void done(String part) {
    starting.remove(part);
  }

  private void heartbeat() {
    if (starting.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    step(
        "still starting: "
            + starting.entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .map(
                    e ->
                        e.getKey()
                            + " ("
                            + TimeUnit.NANOSECONDS.toSeconds(now - e.getValue())
                            + " s)")
                .collect(Collectors.joining(", ")));
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  public void line(String text) {
    out.println(text);
    out.flush();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
