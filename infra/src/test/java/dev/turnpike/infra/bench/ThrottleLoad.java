package dev.turnpike.infra.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * run.sh throttle-accuracy's client: the limited plan's key, far above its limit, rotated request
 * by request over the gateway nodes listed in a file, as a round-robin load balancer would. The
 * file is read again every 200 ms, so the script adds and removes nodes while it runs; a node that
 * refuses connections is left out for a second (a load balancer's failed health check). It writes
 * what each second's responses were: {@code epochSecond admitted throttled other}, and creates
 * {@code OUT_FILE.started} at its first answer, so the script's clock starts with the load rather
 * than with the JVM.
 *
 * <p>Usage: {@code ThrottleLoad PORTS_FILE KEY PATH SECONDS CONCURRENCY OUT_FILE}.
 */
public final class ThrottleLoad {
  private static final Duration EJECTED_FOR = Duration.ofSeconds(1);

  private final Path portsFile;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();
  private final String key;
  private final String path;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<Integer, Long> ejectedUntil = new ConcurrentHashMap<>();
  private final Path startedFile;
  private final java.util.concurrent.atomic.AtomicBoolean started =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** By epoch second: admitted, throttled, other. */
  private final Map<Long, AtomicLongArray> seconds = new ConcurrentHashMap<>();

  private volatile List<Integer> ports = List.of();

  private ThrottleLoad(Path portsFile, String key, String path, Path startedFile) {
    this.portsFile = portsFile;
    this.startedFile = startedFile;
    this.key = key;
    this.path = path;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: ThrottleLoad PORTS_FILE KEY PATH SECONDS CONCURRENCY OUT_FILE");
      System.exit(2);
    }
    Path out = Path.of(args[5]);
    ThrottleLoad load =
        new ThrottleLoad(Path.of(args[0]), args[1], args[2], Path.of(out.toString() + ".started"));
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
    int concurrency = Integer.parseInt(args[4]);
    load.readPorts();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < concurrency; i++) {
        workers.submit(() -> load.send(deadline));
      }
      while (System.nanoTime() < deadline) {
        Thread.sleep(200);
        load.readPorts();
      }
    }
    load.write(out);
  }

  private void readPorts() {
    try {
      List<Integer> read = new ArrayList<>();
      for (String line : Files.readAllLines(portsFile)) {
        if (!line.isBlank()) {
          read.add(Integer.parseInt(line.strip()));
        }
      }
      ports = List.copyOf(read);
    } catch (IOException | NumberFormatException e) {
      // Being rewritten: the last list stands.
    }
  }

  private Void send(long deadline) throws InterruptedException {
    while (System.nanoTime() < deadline) {
      Integer port = nextPort();
      if (port == null) {
        Thread.sleep(10);
        continue;
      }
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("x-api-key", key)
              .timeout(Duration.ofSeconds(5))
              .build();
      int column;
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        column = status == 200 ? 0 : status == 429 ? 1 : 2;
      } catch (ConnectException e) {
        ejectedUntil.put(port, System.nanoTime() + EJECTED_FOR.toNanos());
        column = 2;
      } catch (IOException e) {
        column = 2;
      }
      if (column != 2 && started.compareAndSet(false, true)) {
        try {
          Files.writeString(startedFile, "");
        } catch (IOException e) {
          System.err.println("cannot write " + startedFile + ": " + e);
        }
      }
      long second = System.currentTimeMillis() / 1000;
      seconds.computeIfAbsent(second, s -> new AtomicLongArray(3)).incrementAndGet(column);
    }
    return null;
  }

  /** The next node in turn that is not ejected; null when every node is. */
  private Integer nextPort() {
    List<Integer> current = ports;
    long now = System.nanoTime();
    for (int tries = 0; tries < current.size(); tries++) {
      Integer port = current.get(Math.floorMod(next.getAndIncrement(), current.size()));
      Long until = ejectedUntil.get(port);
      if (until == null || until - now < 0) {
        return port;
      }
    }
    return null;
  }

  private void write(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    new TreeMap<>(seconds)
        .forEach(
            (second, counts) ->
                lines.add(
                    second + " " + counts.get(0) + " " + counts.get(1) + " " + counts.get(2)));
    Files.write(out, lines);
  }
}
