package dev.turnpike.infra.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One gateway node in a JVM of its own, started through {@code GatewayMain} with its settings in
 * {@code TURNPIKE_*} variables, as a deployment would run it. A JVM of its own gives the node its
 * own heap, GC and JIT, and keeps the in-process Kafka broker's threads out of its profile.
 */
final class GatewayProcess implements AutoCloseable {
  static final String MAIN_CLASS = "dev.turnpike.gateway.node.GatewayMain";

  /**
   * The tenant's account-wide limit is lifted for the benchmark: the default (10,000/s, as API
   * Gateway's) would otherwise be what the full-chain scenario measures.
   */
  private static final String ACCOUNT_LIMIT = "1000000";

  /**
   * The node's connection caps, raised for the websocket scenario's 10,000 idle connections ({@code
   * BENCH_IDLE_CONNECTIONS}, up to 50,000) plus its load client's: the defaults, 10,000 on the
   * listener and per tenant, would refuse the last handshakes. No other scenario comes near either
   * cap, and a cap costs nothing per request.
   */
  static final String MAX_CONNECTIONS = "60000";

  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final int index;
  private final int port;
  private final int adminPort;
  private final Path log;
  private final Process process;

  private GatewayProcess(int index, int port, int adminPort, Path log, Process process) {
    this.index = index;
    this.port = port;
    this.adminPort = adminPort;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts node {@code index} (from 1) of {@code options.nodes()} on free loopback ports, with a
   * fresh data directory so it reads its config from Kafka rather than from an old snapshot.
   */
  static GatewayProcess start(BenchOptions options, int index, String kafkaBootstrap)
      throws IOException {
    return start(options, index, kafkaBootstrap, false);
  }

  /**
   * Starts node {@code index} as {@link #start(BenchOptions, int, String)} does; with {@code tls},
   * its traffic port serves TLS with the options' certificate ({@code TURNPIKE_GATEWAY_TLS_*}).
   */
  static GatewayProcess start(BenchOptions options, int index, String kafkaBootstrap, boolean tls)
      throws IOException {
    return start(options, index, kafkaBootstrap, tls, freePort());
  }

  /**
   * Starts node {@code index} as {@link #start(BenchOptions, int, String, boolean)} does, on the
   * given traffic port (run.sh's throttle-accuracy chooses the port of the node it adds mid-run).
   */
  static GatewayProcess start(
      BenchOptions options, int index, String kafkaBootstrap, boolean tls, int port)
      throws IOException {
    int adminPort = freePort();
    Path dataDir = options.workDir().resolve("gateway-" + index + "-data");
    deleteRecursively(dataDir);
    Files.createDirectories(dataDir);
    Path log = options.workDir().resolve("gateway-" + index + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.gatewayJvmOptions());
    command.add("-cp");
    command.add(options.gatewayClasspath());
    command.add(MAIN_CLASS);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("TURNPIKE_NODE_ID", "bench-gw-" + index);
    env.put("TURNPIKE_GATEWAY_HOST", "127.0.0.1");
    env.put("TURNPIKE_GATEWAY_PORT", Integer.toString(port));
    env.put("TURNPIKE_GATEWAY_ADMIN_PORT", Integer.toString(adminPort));
    env.put("TURNPIKE_GATEWAY_EVENT_LOOPS", Integer.toString(options.eventLoops()));
    env.put("TURNPIKE_GATEWAY_NODE_COUNT", Integer.toString(options.nodes()));
    env.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
    env.put("TURNPIKE_GATEWAY_DATA_DIR", dataDir.toString());
    env.put("TURNPIKE_GATEWAY_ACCOUNT_RATE", ACCOUNT_LIMIT);
    env.put("TURNPIKE_GATEWAY_ACCOUNT_BURST", ACCOUNT_LIMIT);
    env.put("TURNPIKE_GATEWAY_MAX_CONNECTIONS", MAX_CONNECTIONS);
    env.put("TURNPIKE_GATEWAY_WEBSOCKET_MAX_CONNECTIONS_PER_TENANT", MAX_CONNECTIONS);
    // Measured without the access log: nginx runs with access_log off too.
    env.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    // Traces go to the backend nginx's no-op collector (/v1/traces answers 200): only the traced
    // stages (tr1, tr100) make spans; every other scenario measures tracing switched off.
    env.put(
        "TURNPIKE_GATEWAY_TRACING_OTLP_ENDPOINT",
        options.backend().toString().replaceAll("/+$", "") + "/v1/traces");
    env.put("TURNPIKE_GATEWAY_TRACING_EXPORT_DELAY_MS", "200");
    // The backend is on loopback: the strict policy with an operator's grant of that one
    // backend, as a deployment would reach a private one.
    env.put("TURNPIKE_EGRESS_ALLOW", egressAllow(options.backend()));
    // run.sh's transport mode runs one node per transport in the same run (node i gets the i-th
    // of BENCH_NODE_TRANSPORTS); otherwise the node inherits TURNPIKE_GATEWAY_TRANSPORT, if set.
    String transport = nodeTransport(System.getenv("BENCH_NODE_TRANSPORTS"), index);
    if (transport != null) {
      env.put("TURNPIKE_GATEWAY_TRANSPORT", transport);
    }
    // ... and the i-th of BENCH_NODE_JVM_OPTIONS ('|'-separated) as extra JVM options (a GC to
    // compare), through the java launcher's JDK_JAVA_OPTIONS.
    String jvmOptions = nodeJvmOptions(System.getenv("BENCH_NODE_JVM_OPTIONS"), index);
    if (jvmOptions != null) {
      env.put("JDK_JAVA_OPTIONS", jvmOptions);
    }
    if (tls) {
      env.put("TURNPIKE_GATEWAY_TLS_CERT", options.tlsCert().toString());
      env.put("TURNPIKE_GATEWAY_TLS_KEY", options.tlsKey().toString());
    }
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new GatewayProcess(index, port, adminPort, log, builder.start());
  }

  /** The {@code index}-th (from 1) of a space-separated list of transports, null past its end. */
  static String nodeTransport(String transports, int index) {
    if (transports == null || transports.isBlank()) {
      return null;
    }
    String[] names = transports.strip().split("\\s+");
    return index <= names.length ? names[index - 1] : null;
  }

  /** The {@code index}-th (from 1) of a '|'-separated list of JVM options, null past its end. */
  static String nodeJvmOptions(String options, int index) {
    if (options == null || options.isBlank()) {
      return null;
    }
    String[] each = options.split("\\|", -1);
    return index <= each.length && !each[index - 1].isBlank() ? each[index - 1].strip() : null;
  }

  /** An allow rule per address of the backend's host, for its port only. */
  static String egressAllow(URI backend) throws java.net.UnknownHostException {
    int port = backend.getPort() > 0 ? backend.getPort() : 80;
    List<String> rules = new ArrayList<>();
    for (InetAddress address : InetAddress.getAllByName(backend.getHost())) {
      rules.add(
          address instanceof java.net.Inet6Address
              ? "[" + address.getHostAddress() + "/128]:" + port
              : address.getHostAddress() + "/32:" + port);
    }
    return String.join(",", rules);
  }

  int index() {
    return index;
  }

  int port() {
    return port;
  }

  int adminPort() {
    return adminPort;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /**
   * Polls the admin port's {@code /ready} until it answers 200.
   *
   * @throws IllegalStateException if the node exits or is not ready within {@code timeout}
   */
  void awaitReady(HttpClient http, Duration timeout) throws InterruptedException {
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "gateway node "
                + index
                + " exited with code "
                + process.exitValue()
                + "; last lines of "
                + log
                + ":\n"
                + tail(log, 30));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // The node is still starting.
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "gateway node " + index + " not ready within " + timeout + "; see " + log);
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
