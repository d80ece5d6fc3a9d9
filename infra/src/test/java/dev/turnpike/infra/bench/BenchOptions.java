package dev.turnpike.infra.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link BenchPlatform} is asked to start, from its command line ({@code --name value} pairs).
 *
 * @param workDir where the key file, {@code platform.env}, gateway logs and data go
 * @param backend the backend's base URL, e.g. {@code http://127.0.0.1:20001}
 * @param gatewayClasspath the classpath of a gateway node JVM (the data-plane jar and its runtime
 *     dependencies only, so the node runs as it would in production)
 * @param nodes how many gateway node JVMs to start; each is told the node count, so each enforces
 *     its share of every throttle
 * @param eventLoops event loops per node
 * @param keyCount API keys in the bench plan
 * @param routeCount routes in the {@code wide} stage
 * @param limitedRate the {@code limited} plan's throttle rate, requests per second cluster-wide
 * @param limitedBurst the {@code limited} plan's burst, cluster-wide
 * @param gatewayJvmOptions JVM options for each node, e.g. heap size or a flight recording
 * @param tlsCert with {@code tlsKey}: a PEM certificate and key for one more node, serving TLS on
 *     its traffic port (the HTTPS scenarios); both null for none
 * @param secondBackend the second target of the {@code two} stage's upstream (the backend on
 *     another port); the backend itself when not given
 */
record BenchOptions(
    Path workDir,
    URI backend,
    String gatewayClasspath,
    int nodes,
    int eventLoops,
    int keyCount,
    int routeCount,
    double limitedRate,
    int limitedBurst,
    List<String> gatewayJvmOptions,
    Path tlsCert,
    Path tlsKey,
    URI secondBackend) {

  static final String USAGE =
      """
      usage: BenchPlatform --work-dir DIR --backend http://127.0.0.1:PORT \\
                           --gateway-classpath-file FILE [--nodes 1] [--event-loops 1] \\
                           [--keys 10000] [--routes 10000] [--limited-rate 200] \\
                           [--limited-burst 50] [--gateway-jvm-options "-Xms1g -Xmx1g"] \\
                           [--tls-cert cert.pem --tls-key key.pem] \\
                           [--second-backend http://127.0.0.1:PORT2]""";

  BenchOptions {
    gatewayJvmOptions = List.copyOf(gatewayJvmOptions);
  }

  /** Options without a TLS node, the {@code two} stage's upstream the backend twice. */
  BenchOptions(
      Path workDir,
      URI backend,
      String gatewayClasspath,
      int nodes,
      int eventLoops,
      int keyCount,
      int routeCount,
      double limitedRate,
      int limitedBurst,
      List<String> gatewayJvmOptions) {
    this(
        workDir,
        backend,
        gatewayClasspath,
        nodes,
        eventLoops,
        keyCount,
        routeCount,
        limitedRate,
        limitedBurst,
        gatewayJvmOptions,
        backend);
  }

  /** Options without a TLS node. */
  BenchOptions(
      Path workDir,
      URI backend,
      String gatewayClasspath,
      int nodes,
      int eventLoops,
      int keyCount,
      int routeCount,
      double limitedRate,
      int limitedBurst,
      List<String> gatewayJvmOptions,
      URI secondBackend) {
    this(
        workDir,
        backend,
        gatewayClasspath,
        nodes,
        eventLoops,
        keyCount,
        routeCount,
        limitedRate,
        limitedBurst,
        gatewayJvmOptions,
        null,
        null,
        secondBackend);
  }

  /** Whether one more node serves TLS. */
  boolean tls() {
    return tlsCert != null;
  }

  /**
   * @throws IllegalArgumentException naming every bad or missing option
   */
  static BenchOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        problems.add("expected --name value pairs, got '" + args[i] + "'");
        break;
      }
      values.put(args[i].substring(2), args[i + 1]);
    }
    Reader read = new Reader(values, problems);
    Path workDir = read.path("work-dir");
    URI backend = read.uri("backend");
    URI secondBackend = values.containsKey("second-backend") ? read.uri("second-backend") : backend;
    Path classpathFile = read.path("gateway-classpath-file");
    int nodes = read.integer("nodes", 1, 1, 16);
    int eventLoops = read.integer("event-loops", 1, 1, 64);
    int keyCount = read.integer("keys", 10_000, 1, 1_000_000);
    int routeCount = read.integer("routes", 10_000, 1, 100_000);
    double limitedRate = read.integer("limited-rate", 200, 1, 1_000_000);
    int limitedBurst = read.integer("limited-burst", 50, 1, 1_000_000);
    List<String> jvmOptions =
        Arrays.stream(values.getOrDefault("gateway-jvm-options", "-Xms1g -Xmx1g").split("\\s+"))
            .filter(option -> !option.isEmpty())
            .toList();
    Path tlsCert = read.optionalFile("tls-cert");
    Path tlsKey = read.optionalFile("tls-key");
    if ((values.get("tls-cert") == null) != (values.get("tls-key") == null)) {
      problems.add("--tls-cert and --tls-key go together");
    }
    values.keySet().removeAll(Reader.KNOWN);
    if (!values.isEmpty()) {
      problems.add("unknown options: " + values.keySet());
    }
    String classpath = null;
    if (classpathFile != null) {
      try {
        classpath = java.nio.file.Files.readString(classpathFile).strip();
        if (classpath.isEmpty()) {
          problems.add("--gateway-classpath-file " + classpathFile + " is empty");
        }
      } catch (java.io.IOException e) {
        problems.add("--gateway-classpath-file " + classpathFile + " cannot be read: " + e);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid bench options:\n  " + String.join("\n  ", problems) + "\n" + USAGE);
    }
    return new BenchOptions(
        workDir,
        backend,
        classpath,
        nodes,
        eventLoops,
        keyCount,
        routeCount,
        limitedRate,
        limitedBurst,
        jvmOptions,
        tlsCert,
        tlsKey,
        secondBackend);
  }

  /** Reads typed values and collects every problem, so one run names them all. */
  private record Reader(Map<String, String> values, List<String> problems) {
    static final List<String> KNOWN =
        List.of(
            "work-dir",
            "backend",
            "gateway-classpath-file",
            "nodes",
            "event-loops",
            "keys",
            "routes",
            "limited-rate",
            "limited-burst",
            "gateway-jvm-options",
            "tls-cert",
            "tls-key",
            "second-backend");

    /** An existing file, or null when the option is absent. */
    Path optionalFile(String name) {
      String value = values.get(name);
      if (value == null) {
        return null;
      }
      Path path = Path.of(value).toAbsolutePath();
      if (!java.nio.file.Files.isReadable(path)) {
        problems.add("--" + name + " " + path + " cannot be read");
      }
      return path;
    }

    Path path(String name) {
      String value = values.get(name);
      if (value == null || value.isBlank()) {
        problems.add("--" + name + " is required");
        return null;
      }
      return Path.of(value).toAbsolutePath();
    }

    URI uri(String name) {
      String value = values.get(name);
      if (value == null || value.isBlank()) {
        problems.add("--" + name + " is required");
        return null;
      }
      try {
        URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
          problems.add("--" + name + " must be http://host:port, was " + value);
        }
        return uri;
      } catch (java.net.URISyntaxException e) {
        problems.add("--" + name + " is not a URI: " + value);
        return null;
      }
    }

    int integer(String name, int fallback, int min, int max) {
      String value = values.get(name);
      if (value == null) {
        return fallback;
      }
      try {
        int parsed = Integer.parseInt(value.strip());
        if (parsed < min || parsed > max) {
          problems.add("--" + name + " must be between " + min + " and " + max + ", was " + value);
        }
        return parsed;
      } catch (NumberFormatException e) {
        problems.add("--" + name + " must be a whole number, was '" + value + "'");
        return fallback;
      }
    }
  }
}
