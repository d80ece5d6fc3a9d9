package dev.turnpike.infra.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * run.sh bulkhead's client: an open-loop load at a fixed rate, so one tenant's latency can be read
 * while another tenant's traffic comes and goes. Request {@code i} is due at {@code start + i /
 * rate}; its latency is counted from then, not from when a connection was free, so time spent
 * queued behind a slow server counts (wrk's closed loop would slow down with the server and hide
 * it). Requests rotate over the keys given; the first {@code warmup} seconds are sent and not
 * counted. One line goes to {@code OUT}: {@code sent ok throttled other p50 p99 p999 max} (ms).
 *
 * <p>Usage: {@code RateLoad PORT PATH KEYS RATE WARMUP SECONDS CONNECTIONS OUT}, where {@code KEYS}
 * is a key, or {@code @file} with one key per line.
 */
public final class RateLoad {
  private static final long REQUEST_TIMEOUT_MS = 10_000;

  /** Why requests failed, and how often: printed to stderr at the end. */
  private final Map<String, Integer> failures = new HashMap<>();

  private final long[] latencies;
  private int recorded;
  private long ok;
  private long throttled;
  private long other;

  private RateLoad(int capacity) {
    this.latencies = new long[capacity];
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println(
          "usage: RateLoad PORT PATH KEYS|@KEYS_FILE RATE WARMUP SECONDS CONNECTIONS OUT");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    String path = args[1];
    List<String> keys =
        args[2].startsWith("@")
            ? Files.readAllLines(Path.of(args[2].substring(1))).stream()
                .filter(k -> !k.isBlank())
                .toList()
            : List.of(args[2]);
    double rate = Double.parseDouble(args[3]);
    long warmup = Long.parseLong(args[4]);
    long seconds = Long.parseLong(args[5]);
    int connections = Integer.parseInt(args[6]);
    Path out = Path.of(args[7]);
    if (keys.isEmpty() || rate <= 0 || seconds <= 0 || connections <= 0) {
      throw new IllegalArgumentException("keys, rate, seconds and connections must be positive");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      HttpClientAgent client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setDefaultHost("127.0.0.1")
                  .setDefaultPort(port)
                  .setKeepAlive(true),
              new PoolOptions().setHttp1MaxSize(connections));
      RateLoad load = new RateLoad((int) Math.ceil(rate * (seconds + 1)) + 1_000);
      String line = load.run(vertx, client, path, keys, rate, warmup, seconds);
      Files.writeString(out, line + "\n");
      System.out.println(line);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private String run(
      Vertx vertx,
      HttpClientAgent client,
      String path,
      List<String> keys,
      double rate,
      long warmup,
      long seconds)
      throws Exception {
    long intervalNanos = (long) (1e9 / rate);
    // One request first, so the schedule starts with a connected, loaded client rather than
    // counting the JVM's and the first connection's start-up as the server's lateness.
    send(client, path, keys.getFirst()).await(30, TimeUnit.SECONDS);
    long start = System.nanoTime();
    long countFrom = start + TimeUnit.SECONDS.toNanos(warmup);
    long end = countFrom + TimeUnit.SECONDS.toNanos(seconds);
    long total = (end - start) / intervalNanos;
    CountDownLatch done = new CountDownLatch(1);
    long[] next = {0};
    long[] outstanding = {0};
    // Everything below runs on the client's one event loop: no locks around the counters.
    vertx.setPeriodic(
        1,
        timer -> {
          long now = System.nanoTime();
          while (next[0] < total && start + next[0] * intervalNanos <= now) {
            long due = start + next[0] * intervalNanos;
            String key = keys.get((int) (next[0] % keys.size()));
            next[0]++;
            outstanding[0]++;
            send(client, path, key)
                .onComplete(
                    result -> {
                      if (result.failed()
                          && failures.merge(result.cause().getClass().getName(), 1, Integer::sum)
                              == 1) {
                        System.err.println("first " + result.cause());
                      }
                      if (due >= countFrom) {
                        record(System.nanoTime() - due, result.succeeded() ? result.result() : -1);
                      }
                      if (--outstanding[0] == 0 && next[0] == total) {
                        done.countDown();
                      }
                    });
          }
          if (next[0] == total) {
            vertx.cancelTimer(timer);
            if (outstanding[0] == 0) {
              done.countDown();
            }
          }
        });
    if (!done.await(warmup + seconds + 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("requests still unanswered 30 s after the run");
    }
    failures.forEach((cause, count) -> System.err.println(count + " failed: " + cause));
    return summary();
  }

  private static Future<Integer> send(HttpClientAgent client, String path, String key) {
    // Bounded, so every request ends (a late one counts as other) and the run always finishes.
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setURI(path)
            .setConnectTimeout(REQUEST_TIMEOUT_MS)
            .setIdleTimeout(REQUEST_TIMEOUT_MS);
    return client
        .request(options)
        .compose(
            request ->
                request
                    .putHeader("x-api-key", key)
                    .send()
                    .compose(response -> response.end().map(ignored -> response.statusCode())));
  }

  private void record(long nanos, int status) {
    latencies[recorded++] = nanos;
    if (status == 200) {
      ok++;
    } else if (status == 429) {
      throttled++;
    } else {
      other++;
    }
  }

  private String summary() {
    long[] sorted = Arrays.copyOf(latencies, recorded);
    Arrays.sort(sorted);
    return String.format(
        Locale.ROOT,
        "%d %d %d %d %.2f %.2f %.2f %.2f",
        recorded,
        ok,
        throttled,
        other,
        millis(sorted, 0.50),
        millis(sorted, 0.99),
        millis(sorted, 0.999),
        millis(sorted, 1.0));
  }

  private static double millis(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
