package dev.turnpike.testkit.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Keycloak server, run from the {@code keycloak-quarkus-dist} zip as its own process on a
 * free loopback port, with one realm imported from a realm file at start. Its database is in
 * memory, so every server starts from the realm file and nothing a test does outlives it.
 *
 * <p>The server runs on the JDK that runs the tests ({@code java.home}; Keycloak needs 21 or newer,
 * as the build does). It is stopped by {@link #close()}, and by a shutdown hook if the test JVM
 * exits first; a server left behind by a JVM that was killed is stopped by the next {@link #start}.
 * Its log is {@link #logFile()}.
 *
 * <p>Most tests share one server through {@link KeycloakExtension}.
 */
public final class KeycloakServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(KeycloakServer.class.getName());
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final String OWNER_PREFIX = ProcessHandle.current().pid() + "-";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String version;
  private final String realm;
  private final String baseUrl;
  private final String publicUrl;
  private final Path instance;
  private final Process process;
  private final HttpClient http;
  private final Thread shutdownHook;

  private KeycloakServer(
      String version,
      String realm,
      String baseUrl,
      String publicUrl,
      Path instance,
      Process process) {
    this.version = version;
    this.realm = realm;
    this.baseUrl = baseUrl;
    this.publicUrl = publicUrl;
    this.instance = instance;
    this.process = process;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.shutdownHook = new Thread(this::stopProcess, "keycloak-server-stop");
  }

  /**
   * Starts a server with the realm in {@code realmFile} (a realm export, as {@code
   * infra/keycloak/turnpike-realm.json}) and returns once that realm answers. The first start on a
   * machine also unpacks and augments the distribution, which takes 20 to 40 seconds more.
   *
   * @throws IllegalStateException if the server did not come up within five minutes or stopped
   *     before; the message carries the end of its log
   */
  public static KeycloakServer start(Path realmFile) {
    return start(realmFile, null);
  }

  /**
   * Starts a server that browsers reach at another address than services do, as a Keycloak behind a
   * proxy or a port mapping: {@code publicUrl} (scheme, host, port) is its {@code --hostname}, so
   * it is the issuer of every token and the base of every front-channel URL (the login pages),
   * while the back-channel URLs of the discovery document (token, keys, user info) follow the
   * address each request came to ({@code --hostname-backchannel-dynamic=true}). Services reach it
   * at {@link #baseUrl()}; the caller makes {@code publicUrl} lead to it for browsers.
   *
   * @param publicUrl null: the server's own address, as {@link #start(Path)}
   */
  public static KeycloakServer start(Path realmFile, String publicUrl) {
    return start(realmFile, publicUrl, Map.of());
  }

  /**
   * As {@link #start(Path, String)}, with {@code environment} added to the server's: a realm file
   * with {@code ${VARIABLE}} placeholders, as the production realm has, is imported with them
   * filled from it.
   */
  public static KeycloakServer start(
      Path realmFile, String publicUrl, Map<String, String> environment) {
    String realm = realmName(realmFile);
    Path javaHome = Path.of(System.getProperty("java.home"));
    KeycloakDistribution distribution = KeycloakDistribution.fromBuild();
    Path home = distribution.prepare(javaHome);
    StaleInstances.stopAndRemove(distribution.instancesRoot());
    Path instance = newInstance(distribution.instancesRoot(), home, realmFile, realm);
    int port = QuietPorts.free();
    String baseUrl = "http://127.0.0.1:" + port;
    long started = System.nanoTime();
    String hostname = publicUrl == null ? baseUrl : stripSlash(publicUrl);
    Process process =
        launch(home, instance, port, hostname, publicUrl != null, javaHome, environment);
    KeycloakServer server =
        new KeycloakServer(distribution.version(), realm, baseUrl, hostname, instance, process);
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    try {
      server.awaitRealm(started);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    LOG.log(
        System.Logger.Level.INFO,
        "Keycloak {0} with realm {1} ready at {2} in {3} ms (log: {4})",
        distribution.version(),
        realm,
        baseUrl,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        server.logFile());
    return server;
  }

  private static String realmName(Path realmFile) {
    try {
      String name = JSON.readTree(realmFile.toFile()).path("realm").asText("");
      if (name.isBlank()) {
        throw new IllegalArgumentException(realmFile + " names no realm (its \"realm\" field)");
      }
      return name;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the realm file " + realmFile, e);
    }
  }

  /**
   * A server home of its own: the shared distribution's read-only parts linked in, its own data
   * folder (import, transaction logs) and log beside them, so servers in parallel JVMs never share
   * a file they write.
   */
  private static Path newInstance(Path instancesRoot, Path home, Path realmFile, String realm) {
    try {
      Files.createDirectories(instancesRoot);
      Path instance = instancesRoot.resolve(OWNER_PREFIX + UUID.randomUUID());
      Files.createDirectories(instance.resolve("data").resolve("import"));
      for (String shared : List.of("lib", "conf", "providers", "themes")) {
        Files.createSymbolicLink(instance.resolve(shared), home.resolve(shared));
      }
      Files.copy(
          realmFile, instance.resolve("data").resolve("import").resolve(realm + "-realm.json"));
      return instance;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a Keycloak instance under " + instancesRoot, e);
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static Process launch(
      Path home,
      Path instance,
      int port,
      String hostname,
      boolean dynamicBackchannel,
      Path javaHome,
      Map<String, String> environment) {
    List<String> command = new ArrayList<>();
    command.add("/bin/sh");
    command.add(KeycloakDistribution.kcScript(home).toString());
    command.add("start");
    command.add("--optimized");
    // kc.sh passes -D options to the JVM after its own, so this home wins: data/ and the realm
    // to import are read from the instance, lib/ through its link from the shared distribution.
    command.add("-Dkc.home.dir=" + instance);
    command.add("--http-enabled=true");
    command.add("--http-host=127.0.0.1");
    command.add("--http-port=" + port);
    // A fixed hostname makes the issuer the same whichever address a client uses.
    command.add("--hostname=" + hostname);
    if (dynamicBackchannel) {
      command.add("--hostname-backchannel-dynamic=true");
    }
    // No cluster: a test server must neither look for nor find other Keycloak nodes.
    command.add("--cache=local");
    command.add("--import-realm");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(instance.toFile())
            .redirectErrorStream(true)
            .redirectOutput(instance.resolve("keycloak.log").toFile());
    KeycloakProcesses.cleanEnvironment(builder.environment(), javaHome);
    builder.environment().putAll(environment);
    // A test server lives for minutes: the quick C1 compiler alone starts it about a fifth faster,
    // and peak performance does not matter.
    builder.environment().put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
    try {
      Process process = builder.start();
      Files.writeString(instance.resolve("keycloak.pid"), Long.toString(process.pid()));
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    }
  }

  /** Polls the realm's discovery document; it answers once the realm was imported. */
  private void awaitRealm(long startedNanos) {
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(realmUrl() + "/.well-known/openid-configuration"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = startedNanos + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Keycloak exited with code "
                + process.exitValue()
                + " before realm "
                + realm
                + " was ready; the end of "
                + logFile()
                + ":\n"
                + KeycloakProcesses.tail(logFile()));
      }
      if (answersOk(probe)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Keycloak did not serve realm "
                + realm
                + " within "
                + START_TIMEOUT
                + "; the end of "
                + logFile()
                + ":\n"
                + KeycloakProcesses.tail(logFile()));
      }
      try {
        process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Keycloak", e);
      }
    }
  }

  private boolean answersOk(HttpRequest probe) {
    try {
      return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      // Not listening yet, or busy starting: ask again.
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Keycloak", e);
    }
  }

  /** The Keycloak version running, as the build chose it. */
  public String version() {
    return version;
  }

  /** The imported realm's name. */
  public String realm() {
    return realm;
  }

  /** Where the server listens, as {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The address browsers reach the server at: {@link #baseUrl()} unless started with another. */
  public String publicUrl() {
    return publicUrl;
  }

  /** The realm's issuer: the {@code iss} of its tokens, on the public address. */
  public String issuer() {
    return publicUrl + "/realms/" + realm;
  }

  /** The realm as services reach it, on the address the server listens at. */
  public String realmUrl() {
    return baseUrl + "/realms/" + realm;
  }

  /** Where the realm publishes its signing keys, as services reach it. */
  public String jwksUrl() {
    return realmUrl() + "/protocol/openid-connect/certs";
  }

  public String tokenEndpoint() {
    return realmUrl() + "/protocol/openid-connect/token";
  }

  /** The server's console output. */
  public Path logFile() {
    return instance.resolve("keycloak.log");
  }

  /**
   * Signs a user in through a public client with the resource owner password grant, as a script
   * would, and returns the access token.
   *
   * @throws IllegalStateException if Keycloak refused, with its error in the message
   */
  public String passwordGrant(String clientId, String username, String password) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", clientId);
    form.put("username", username);
    form.put("password", password);
    form.put("scope", "openid");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(tokenEndpoint()))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(formEncoded(form)))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("the token endpoint " + tokenEndpoint() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a password grant", e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "Keycloak refused the password grant for "
              + username
              + " through "
              + clientId
              + ": HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
    try {
      JsonNode token = JSON.readTree(response.body()).path("access_token");
      if (!token.isTextual()) {
        throw new IllegalStateException("the token response has no access_token");
      }
      return token.asText();
    } catch (IOException e) {
      throw new UncheckedIOException("the token response is not JSON", e);
    }
  }

  private static String formEncoded(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            entry ->
                URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private void stopProcess() {
    KeycloakProcesses.stop(process, STOP_GRACE);
  }

  /** Stops the server and waits until it is gone. Its folder and log stay until the next start. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down and the hook stops the server.
      return;
    }
    stopProcess();
    http.close();
  }
}
