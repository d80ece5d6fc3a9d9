package dev.turnpike.infra.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link WebSocketLoad} is asked to do, from its command line: {@code echo|idle} then {@code
 * --name value} pairs.
 *
 * @param mode {@code echo}: connections that keep messages in flight, a warm-up, then a measured
 *     run; {@code idle}: connections that are opened and held without a message
 * @param uri the server, {@code ws://127.0.0.1:PORT/path}
 * @param connections how many connections to open
 * @param inFlight echo: messages each connection keeps sent and unanswered
 * @param warmupSeconds echo: seconds of load before the measured run
 * @param durationSeconds echo: measured seconds
 * @param goFile echo: the measured run starts once this file exists (the script has read the
 *     server's CPU time); idle: the connections are closed once it exists (the server's memory has
 *     been read)
 * @param sourceAddresses the client's local addresses, {@code 127.0.0.1} to {@code 127.0.0.N}: each
 *     has its own ephemeral ports, so more connections than one address's port range can be opened
 * @param handshakes idle: handshakes under way at once
 * @param message the text each message carries, and the answer expected back
 */
record WebSocketLoadOptions(
    String mode,
    URI uri,
    int connections,
    int inFlight,
    int warmupSeconds,
    int durationSeconds,
    Path goFile,
    List<String> sourceAddresses,
    int handshakes,
    String message) {

  static final String ECHO = "echo";
  static final String IDLE = "idle";

  static final String USAGE =
      """
      usage: WebSocketLoad echo --url ws://127.0.0.1:PORT/path --go-file FILE [--connections 64] \\
                                [--in-flight 4] [--warmup 5] [--duration 10] \\
                                [--source-addresses 1] [--message TEXT]
             WebSocketLoad idle --url ws://127.0.0.1:PORT/path --go-file FILE \\
                                [--connections 10000] [--source-addresses 1] [--handshakes 256]""";

  private static final List<String> KNOWN =
      List.of(
          "url",
          "connections",
          "in-flight",
          "warmup",
          "duration",
          "go-file",
          "source-addresses",
          "handshakes",
          "message");

  WebSocketLoadOptions {
    sourceAddresses = List.copyOf(sourceAddresses);
  }

  boolean echo() {
    return ECHO.equals(mode);
  }

  /** The request path and query of {@link #uri()}, {@code /} when it has none. */
  String path() {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /**
   * @throws IllegalArgumentException naming every bad or missing option
   */
  static WebSocketLoadOptions parse(String[] args) {
    List<String> problems = new ArrayList<>();
    String mode = args.length == 0 ? null : args[0];
    if (!ECHO.equals(mode) && !IDLE.equals(mode)) {
      problems.add("the first argument must be echo or idle, was " + mode);
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        problems.add("expected --name value pairs, got '" + args[i] + "'");
        break;
      }
      values.put(args[i].substring(2), args[i + 1]);
    }
    URI uri = uri(values.get("url"), problems);
    boolean idle = IDLE.equals(mode);
    int connections = integer(values, "connections", idle ? 10_000 : 64, 1, 1_000_000, problems);
    int inFlight = integer(values, "in-flight", 4, 1, 1_000, problems);
    int warmup = integer(values, "warmup", 5, 0, 3_600, problems);
    int duration = integer(values, "duration", 10, 1, 3_600, problems);
    int addresses = integer(values, "source-addresses", 1, 1, 254, problems);
    int handshakes = integer(values, "handshakes", 256, 1, 100_000, problems);
    String goFile = values.get("go-file");
    if (goFile == null || goFile.isBlank()) {
      problems.add("--go-file is required");
    }
    String message = values.getOrDefault("message", BenchConfig.WEBSOCKET_MESSAGE);
    if (message.isEmpty()) {
      problems.add("--message must not be empty");
    }
    values.keySet().removeAll(KNOWN);
    if (!values.isEmpty()) {
      problems.add("unknown options: " + values.keySet());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid load options:\n  " + String.join("\n  ", problems) + "\n" + USAGE);
    }
    List<String> sources = new ArrayList<>(addresses);
    for (int i = 1; i <= addresses; i++) {
      sources.add("127.0.0." + i);
    }
    return new WebSocketLoadOptions(
        mode,
        uri,
        connections,
        inFlight,
        warmup,
        duration,
        Path.of(goFile).toAbsolutePath(),
        sources,
        handshakes,
        message);
  }

  private static URI uri(String value, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add("--url is required");
      return null;
    }
    try {
      URI uri = new URI(value);
      if (!"ws".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
        problems.add("--url must be ws://host:port/path, was " + value);
      }
      return uri;
    } catch (URISyntaxException e) {
      problems.add("--url is not a URI: " + value);
      return null;
    }
  }

  private static int integer(
      Map<String, String> values,
      String name,
      int fallback,
      int min,
      int max,
      List<String> problems) {
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
