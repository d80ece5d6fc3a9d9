package dev.turnpike.platform.keycloak;

import dev.turnpike.platform.PlatformException;
import dev.turnpike.platform.process.ChildProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keycloak for the local platform: the Maven dist ({@link KeycloakInstallation}) run with a home of
 * its own in the state folder, where its file database keeps users and sessions between runs. The
 * Turnpike realm is imported at the first start; later starts find it and skip the import.
 */
public final class EmbeddedKeycloak implements AutoCloseable {
  /** Keycloak's own administrator, made on the first start only (the master realm's admin). */
  public static final String ADMIN_USER = "admin";

  public static final String ADMIN_PASSWORD = "turnpike-admin";

  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final ChildProcess process;

  private EmbeddedKeycloak(ChildProcess process) {
    this.process = process;
  }

  /** True when the first start will also unpack and build Keycloak (20 to 40 seconds more). */
  public static boolean needsPreparation() {
    return !KeycloakInstallation.fromBuild().prepared();
  }

  /**
   * Starts Keycloak on {@code bindHost:port}, reachable and issuing tokens as {@code
   * http://localhost:port}, and returns once the realm's discovery document answers. {@code
   * onLaunch} gets the server process as soon as it runs.
   */
  public static EmbeddedKeycloak start(
      Path instance,
      Path realmFile,
      String realm,
      String bindHost,
      int port,
      Path log,
      Map<String, String> inherited,
      Duration timeout,
      Consumer<AutoCloseable> onLaunch) {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Map<String, String> environment = cleanEnvironment(inherited, javaHome);
    Path home = KeycloakInstallation.fromBuild().prepare(environment, log);
    prepareInstance(instance, home, realmFile, realm);
    String publicUrl = "http://localhost:" + port;
    List<String> command =
        List.of(
            "/bin/sh",
            KeycloakInstallation.kcScript(home).toString(),
            "start",
            "--optimized",
            // kc.sh passes -D options to the JVM after its own, so this home wins: the database
            // and the realm to import live in the instance; lib/ comes through its link.
            "-Dkc.home.dir=" + instance,
            "--http-enabled=true",
            "--http-host=" + bindHost,
            "--http-port=" + port,
            // One issuer whichever address a client uses; the control plane checks it.
            "--hostname=" + publicUrl,
            "--cache=local",
            "--import-realm");
    Map<String, String> serverEnvironment = new HashMap<>(environment);
    serverEnvironment.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
    serverEnvironment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    serverEnvironment.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
    // A local server: the quick C1 compiler alone starts it about a fifth faster.
    serverEnvironment.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
    ChildProcess process =
        ChildProcess.start("Keycloak", command, serverEnvironment, instance, log, STOP_GRACE);
    // Registered before it is ready, so a Ctrl-C during the wait stops it too.
    onLaunch.accept(process);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      process.awaitReady(
          ChildProcess.answers200(
              http, publicUrl + "/realms/" + realm + "/.well-known/openid-configuration"),
          timeout);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    } finally {
      http.close();
    }
    return new EmbeddedKeycloak(process);
  }

  /**
   * Keeps the developer's own Keycloak, Quarkus and JVM settings (say a {@code KC_DB} exported for
   * another project) out of this server, and runs it on the launcher's JDK.
   */
  static Map<String, String> cleanEnvironment(Map<String, String> inherited, Path javaHome) {
    Map<String, String> environment = new HashMap<>(inherited);
    environment
        .keySet()
        .removeIf(
            name ->
                name.startsWith("KC_")
                    || name.startsWith("QUARKUS_")
                    || name.startsWith("JAVA_OPTS")
                    || name.equals("JAVA_ADD_OPENS")
                    || name.equals("JAVA_TOOL_OPTIONS")
                    || name.equals("JDK_JAVA_OPTIONS")
                    || name.equals("JAVA"));
    environment.put("JAVA_HOME", javaHome.toString());
    return environment;
  }

  private static void prepareInstance(Path instance, Path home, Path realmFile, String realm) {
    try {
      Path imports = instance.resolve("data").resolve("import");
      Files.createDirectories(imports);
      for (String shared : List.of("lib", "conf", "providers", "themes")) {
        Path link = instance.resolve(shared);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, home.resolve(shared));
      }
      Files.copy(
          realmFile, imports.resolve(realm + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new PlatformException(
          "cannot prepare Keycloak's folder " + instance + ": " + e.getMessage(), e);
    }
  }

  public ChildProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.close();
  }
}
