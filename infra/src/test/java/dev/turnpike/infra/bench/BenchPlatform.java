package dev.turnpike.infra.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Everything {@code infra/bench/run.sh} measures the gateway against, except nginx and wrk: a real
 * in-process Kafka with the contract topics, the bench config published on them ({@link
 * BenchConfig}), the plain keys in {@code keys.txt} for the wrk script, and N gateway nodes, each a
 * JVM of its own ({@link GatewayProcess}).
 *
 * <p>Once every node is ready and has answered a smoke request on each stage, it writes {@code
 * platform.env} (shell variables with the ports, pids and the limited key) and prints a line
 * starting with {@code READY}. Then, until it is killed, it writes the usage topic's event count to
 * {@code usage-events.txt} every second, so the script can check that usage events reach Kafka.
 * Killing it (SIGTERM) stops the nodes and the broker. If a node dies, it prints {@code FAILED} and
 * exits 1.
 */
public final class BenchPlatform implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration USAGE_COUNT_INTERVAL = Duration.ofSeconds(1);

  private final BenchOptions options;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<GatewayProcess> gateways = new CopyOnWriteArrayList<>();
  private volatile GatewayProcess tlsGateway;
  private final AtomicBoolean closing = new AtomicBoolean();
  private BenchKafka kafka;

  private BenchPlatform(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    BenchPlatform platform = new BenchPlatform(options);
    Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "bench-platform-stop"));
    try {
      platform.start();
    } catch (Exception e) {
      System.out.println("FAILED " + e.getMessage());
      e.printStackTrace(System.out);
      System.exit(1);
    }
    platform.countUsageUntilANodeExits();
  }

  private void start() throws IOException, InterruptedException {
    Files.createDirectories(options.workDir());
    long started = System.nanoTime();
    kafka = BenchKafka.start();
    say("Kafka up at " + kafka.bootstrapServers());
    BenchConfig config = BenchConfig.generate(options);
    kafka.publish(config);
    say(
        "published 7 stages ("
            + options.routeCount()
            + " routes in 'wide'), 2 plans, "
            + config.keyRecords().size()
            + " keys");
    Path keyFile = options.workDir().resolve("keys.txt");
    Files.write(keyFile, config.benchKeys());
    // The JWT stage's issuer, served by the backend nginx from these files, and wrk's token.
    config.issuer().writeFiles(options.workDir());
    Path jwtFile = options.workDir().resolve("jwt.txt");
    Files.writeString(jwtFile, config.issuer().token(Instant.now(), Duration.ofDays(1)));
    for (int index = 1; index <= options.nodes(); index++) {
      gateways.add(GatewayProcess.start(options, index, kafka.bootstrapServers()));
    }
    if (options.tls()) {
      // One node more, serving TLS, for the HTTPS scenarios; run.sh smoke-checks it over TLS.
      tlsGateway =
          GatewayProcess.start(options, options.nodes() + 1, kafka.bootstrapServers(), true);
      tlsGateway.awaitReady(http, READY_TIMEOUT);
      say(
          "TLS gateway node ready on port "
              + tlsGateway.port()
              + " (admin "
              + tlsGateway.adminPort()
              + ", pid "
              + tlsGateway.pid()
              + ")");
    }
    for (GatewayProcess gateway : gateways) {
      gateway.awaitReady(http, READY_TIMEOUT);
      smokeCheck(gateway, config);
      say(
          "gateway node "
              + gateway.index()
              + " ready on port "
              + gateway.port()
              + " (admin "
              + gateway.adminPort()
              + ", pid "
              + gateway.pid()
              + ")");
    }
    writeEnvironment(keyFile, jwtFile, config);
    System.out.printf(
        Locale.ROOT,
        "READY gateways=%s kafka=%s keys=%s in %.1fs%n",
        gateways.stream().map(g -> "127.0.0.1:" + g.port()).collect(Collectors.joining(",")),
        kafka.bootstrapServers(),
        keyFile,
        (System.nanoTime() - started) / 1e9);
    System.out.flush();
  }

  /**
   * One request per stage before any measurement, so a wrong config fails here with its status and
   * body instead of showing up as a fast stream of 403s in the results.
   */
  private void smokeCheck(GatewayProcess gateway, BenchConfig config) throws InterruptedException {
    String base = "http://127.0.0.1:" + gateway.port();
    String key = config.benchKeys().get(0);
    int last = options.routeCount() - 1;
    expect(gateway, base + BenchConfig.stagePath(BenchConfig.PASS) + "/items/1", null, 200);
    expect(gateway, base + BenchConfig.stagePath(BenchConfig.FUNCTION) + "/items/1", null, 200);
    expect(gateway, base + BenchConfig.stagePath(BenchConfig.TEMPLATED) + "/items/1", null, 200);
    expect(gateway, base + BenchConfig.stagePath(BenchConfig.UPSTREAM) + "/items/1", null, 200);
    expect(gateway, base + BenchConfig.stagePath(BenchConfig.CACHED) + "/items/1", null, 200);
    expect(gateway, base + BenchConfig.stagePath(BenchConfig.COMPRESSED) + "/items/1", null, 200);
    String jwtPath = base + BenchConfig.stagePath(BenchConfig.JWT) + "/items/1";
    expect(gateway, jwtPath, null, 401);
    String token = config.issuer().token(Instant.now(), Duration.ofMinutes(5));
    expect(gateway, jwtPath, "Authorization", "Bearer " + token, 200);
    String lambdaPath = base + BenchConfig.stagePath(BenchConfig.LAMBDA_AUTH) + "/items/1";
    expect(gateway, lambdaPath, null, 401);
    expect(gateway, lambdaPath, "Authorization", "Bearer " + token, 200);
    expect(gateway, base + BenchConfig.stagePath(BenchConfig.FULL) + "/items/1", key, 200);
    expect(gateway, base + BenchConfig.stagePath(BenchConfig.FULL) + "/items/1", null, 403);
    expect(gateway, base + BenchConfig.stagePath(BenchConfig.CORS) + "/items/1", key, 200);
    expect(
        gateway,
        base + BenchConfig.stagePath(BenchConfig.WIDE) + "/svc" + last + "/items/" + last,
        key,
        200);
    expect(
        gateway,
        base + BenchConfig.stagePath(BenchConfig.LIMITED) + "/items/1",
        config.limitedKey(),
        200);
    expect(gateway, base + BenchConfig.noisyPath() + "/items/1", config.noisyKey(), 200);
    expect(gateway, base + BenchConfig.noisyPath() + "/items/1", key, 403);
  }

  private void expect(GatewayProcess gateway, String url, String apiKey, int status)
      throws InterruptedException {
    expect(gateway, url, "x-api-key", apiKey, status);
  }

  private void expect(GatewayProcess gateway, String url, String header, String value, int status)
      throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (value != null) {
      request.header(header, value);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("smoke request " + url + " failed: " + e, e);
    }
    if (response.statusCode() != status) {
      throw new IllegalStateException(
          "smoke request to node "
              + gateway.index()
              + ": GET "
              + url
              + (value == null ? " without " : " with ")
              + header
              + " answered "
              + response.statusCode()
              + " "
              + response.body()
              + ", expected "
              + status
              + "; see "
              + gateway.log());
    }
  }

  /** Shell variables for run.sh; written to a temporary file first so it is never half-read. */
  private void writeEnvironment(Path keyFile, Path jwtFile, BenchConfig config) throws IOException {
    List<String> lines =
        List.of(
            "BENCH_KAFKA=" + kafka.bootstrapServers(),
            "BENCH_KEYS_FILE=" + keyFile,
            "BENCH_JWT_FILE=" + jwtFile,
            "BENCH_ROUTE_COUNT=" + options.routeCount(),
            "BENCH_LIMITED_KEY=" + config.limitedKey(),
            "BENCH_NOISY_KEY=" + config.noisyKey(),
            "BENCH_NOISY_PATH=" + BenchConfig.noisyPath(),
            "BENCH_NOISY_RATE=" + (long) BenchConfig.NOISY_THROTTLE.rateLimit(),
            "BENCH_LIMITED_RATE=" + (long) options.limitedRate(),
            "BENCH_LIMITED_BURST=" + options.limitedBurst(),
            "BENCH_GATEWAY_PORTS=\"" + join(GatewayProcess::port) + "\"",
            "BENCH_GATEWAY_ADMIN_PORTS=\"" + join(GatewayProcess::adminPort) + "\"",
            "BENCH_GATEWAY_PIDS=\"" + join(GatewayProcess::pid) + "\"",
            "BENCH_TLS_GATEWAY_PORT=" + (tlsGateway == null ? "" : tlsGateway.port()),
            "BENCH_TLS_GATEWAY_PID=" + (tlsGateway == null ? "" : tlsGateway.pid()));
    Path file = options.workDir().resolve("platform.env");
    Path temporary = options.workDir().resolve("platform.env.tmp");
    Files.write(temporary, lines);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private String join(java.util.function.ToLongFunction<GatewayProcess> value) {
    return gateways.stream()
        .map(g -> Long.toString(value.applyAsLong(g)))
        .collect(Collectors.joining(" "));
  }

  /** The plain nodes and the TLS one, if any. */
  private List<GatewayProcess> allNodes() {
    List<GatewayProcess> all = new ArrayList<>(gateways);
    if (tlsGateway != null) {
      all.add(tlsGateway);
    }
    return all;
  }

  /**
   * Runs on the main thread until a node exits unexpectedly (then exits 1) or the JVM is stopped.
   * Meanwhile it takes two requests from run.sh, as files in the work directory: {@code
   * expected-exits} lists the pids of nodes the script kills on purpose, whose exit is no failure;
   * {@code add-node} holds a port, on which it starts one node more, and once that node is ready
   * writes {@code added-node.env} ({@code BENCH_ADDED_PORT}, {@code BENCH_ADDED_PID}).
   */
  private void countUsageUntilANodeExits() throws InterruptedException {
    Path countFile = options.workDir().resolve("usage-events.txt");
    Path temporary = options.workDir().resolve("usage-events.txt.tmp");
    while (true) {
      List<GatewayProcess> failed =
          allNodes().stream()
              .filter(gateway -> gateway.onExit().isDone() && !expectedExit(gateway))
              .toList();
      if (!failed.isEmpty()) {
        break;
      }
      try {
        Files.writeString(temporary, kafka.usageEvents() + "\n");
        Files.move(
            temporary,
            countFile,
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        addNodeIfAsked();
      } catch (IOException | RuntimeException e) {
        if (closing.get()) {
          return;
        }
        System.out.println("usage count failed: " + e);
      }
      Thread.sleep(USAGE_COUNT_INTERVAL.toMillis());
    }
    if (!closing.get()) {
      for (GatewayProcess gateway : allNodes()) {
        if (gateway.onExit().isDone() && !expectedExit(gateway)) {
          System.out.println(
              "FAILED gateway node "
                  + gateway.index()
                  + " exited; last lines of "
                  + gateway.log()
                  + ":\n"
                  + GatewayProcess.tail(gateway.log(), 30));
        }
      }
      System.exit(1);
    }
  }

  private boolean expectedExit(GatewayProcess gateway) {
    Path file = options.workDir().resolve("expected-exits");
    try {
      return Files.exists(file)
          && Files.readAllLines(file).stream()
              .map(String::strip)
              .anyMatch(line -> line.equals(Long.toString(gateway.pid())));
    } catch (IOException e) {
      return false;
    }
  }

  private void addNodeIfAsked() throws IOException, InterruptedException {
    Path request = options.workDir().resolve("add-node");
    if (!Files.exists(request)) {
      return;
    }
    int port = Integer.parseInt(Files.readString(request).strip());
    Files.delete(request);
    int index = allNodes().size() + 1;
    GatewayProcess added =
        GatewayProcess.start(options, index, kafka.bootstrapServers(), false, port);
    gateways.add(added);
    added.awaitReady(http, READY_TIMEOUT);
    say("gateway node " + index + " added on port " + port + " (pid " + added.pid() + ")");
    Path file = options.workDir().resolve("added-node.env");
    Path temporary = options.workDir().resolve("added-node.env.tmp");
    Files.write(temporary, List.of("BENCH_ADDED_PORT=" + port, "BENCH_ADDED_PID=" + added.pid()));
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    allNodes().forEach(GatewayProcess::close);
    if (kafka != null) {
      kafka.close();
    }
  }

  private static void say(String message) {
    System.out.println(message);
    System.out.flush();
  }
}
