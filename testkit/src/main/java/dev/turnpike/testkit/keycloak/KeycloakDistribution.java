package dev.turnpike.testkit.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Keycloak server distribution the kit runs: the {@code keycloak-quarkus-dist} zip that the
 * testkit build fetched into the local Maven repository, unpacked once into a cache shared by all
 * test JVMs on the machine and augmented once ({@code kc.sh build}) for the options the kit runs
 * with, so that each server after the first starts with {@code start --optimized}.
 *
 * <p>Several JVMs may prepare the same cache at once (parallel builds); a file lock serialises
 * them, and an unpacked tree appears under its final name only when it is complete.
 */
final class KeycloakDistribution {
  /**
   * Build-time options, fixed at augmentation: an in-memory H2 database, so every server starts
   * from an empty database and imports its realm afresh.
   */
  static final List<String> BUILD_OPTIONS = List.of("--db=dev-mem");

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
  private static final String BUILT_MARKER = ".turnpike-built";
  private static final Object IN_JVM_LOCK = new Object();
  private static final System.Logger LOG = System.getLogger(KeycloakDistribution.class.getName());

  private final String version;
  private final List<Path> zips;
  private final Path cacheRoot;

  private KeycloakDistribution(String version, List<Path> zips, Path cacheRoot) {
    this.version = version;
    this.zips = zips;
    this.cacheRoot = cacheRoot;
  }

  /**
   * The distribution the build chose: the version and local repository recorded in {@code
   * keycloak-dist.properties}. The system property {@code turnpike.keycloak.dist} (a zip path) and
   * {@code turnpike.keycloak.cache} (a directory) override where the zip and the cache are.
   */
  static KeycloakDistribution fromBuild() {
    Properties recorded = new Properties();
    try (InputStream in =
        KeycloakDistribution.class.getResourceAsStream("keycloak-dist.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "keycloak-dist.properties is missing from the testkit jar; rebuild testkit");
      }
      recorded.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = recorded.getProperty("version");
    List<Path> zips =
        System.getProperty("turnpike.keycloak.dist") != null
            ? List.of(Path.of(System.getProperty("turnpike.keycloak.dist")))
            : List.of(
                zipIn(Path.of(recorded.getProperty("localRepository")), version),
                zipIn(Path.of(System.getProperty("user.home"), ".m2", "repository"), version));
    return new KeycloakDistribution(version, zips, cacheRoot());
  }

  private static Path zipIn(Path repository, String version) {
    return repository.resolve(
        Path.of(
            "org",
            "keycloak",
            "keycloak-quarkus-dist",
            version,
            "keycloak-quarkus-dist-" + version + ".zip"));
  }

  private static Path cacheRoot() {
    String configured = System.getProperty("turnpike.keycloak.cache");
    if (configured != null) {
      return Path.of(configured);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("turnpike").resolve("keycloak");
  }

  String version() {
    return version;
  }

  /** Where the servers' own folders (data, imported realm, log) are made. */
  Path instancesRoot() {
    return cacheRoot.resolve("instances");
  }

  /**
   * Returns the unpacked, augmented distribution, unpacking and augmenting it first if no JVM did
   * before. The first call on a machine takes 20 to 40 seconds.
   */
  Path prepare(Path javaHome) {
    Path home = cacheRoot.resolve(version);
    synchronized (IN_JVM_LOCK) {
      try {
        Files.createDirectories(cacheRoot);
        try (FileChannel channel =
            FileChannel.open(
                cacheRoot.resolve(version + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
          FileLock lock = channel.lock();
          try {
            if (!Files.isDirectory(home)) {
              long started = System.nanoTime();
              Path zip = zip();
              unpack(zip, home);
              logTook("unpacked " + zip + " into " + home, started);
            }
            augment(home, javaHome);
          } finally {
            lock.release();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare Keycloak in " + home, e);
      }
    }
    return home;
  }

  /** Only needed until the cache holds the unpacked tree. */
  private Path zip() {
    return zips.stream()
        .filter(Files::isRegularFile)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the Keycloak "
                        + version
                        + " server zip is not at "
                        + zips.get(0)
                        + "; the testkit build fetches it"
                        + " (./mvnw -pl testkit generate-resources)"));
  }

  private void unpack(Path zip, Path home) throws IOException {
    Path staging = Files.createTempDirectory(cacheRoot, version + ".unpacking-");
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : Collections.list(archive.entries())) {
        Path target = staging.resolve(withoutTopFolder(entry.getName())).normalize();
        if (!target.startsWith(staging)) {
          throw new IOException("zip entry outside the distribution: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          try (InputStream in = archive.getInputStream(entry)) {
            Files.copy(in, target);
          }
        }
      }
      makeScriptsExecutable(staging.resolve("bin"));
      Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e;
    }
  }

  /** Every entry sits under {@code keycloak-<version>/}; the cache holds the tree under it. */
  private static String withoutTopFolder(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? "" : name.substring(slash + 1);
  }

  private static void makeScriptsExecutable(Path bin) throws IOException {
    try (Stream<Path> scripts = Files.list(bin)) {
      for (Path script : scripts.filter(p -> p.toString().endsWith(".sh")).toList()) {
        Set<PosixFilePermission> permissions =
            EnumSet.copyOf(Files.getPosixFilePermissions(script));
        permissions.add(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(script, permissions);
      }
    }
  }

  /**
   * Runs {@code kc.sh build} unless the tree was built with {@link #BUILD_OPTIONS} already. The
   * marker is written last, so a build cut short is redone.
   */
  private void augment(Path home, Path javaHome) throws IOException {
    Path marker = home.resolve(BUILT_MARKER);
    String wanted = String.join(" ", BUILD_OPTIONS);
    if (Files.isRegularFile(marker) && Files.readString(marker).equals(wanted)) {
      return;
    }
    Files.deleteIfExists(marker);
    long started = System.nanoTime();
    List<String> command = new ArrayList<>(List.of("/bin/sh", kcScript(home).toString(), "build"));
    command.addAll(BUILD_OPTIONS);
    Path log = home.resolve("build.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    KeycloakProcesses.cleanEnvironment(builder.environment(), javaHome);
    Process build = builder.start();
    try {
      if (!build.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        KeycloakProcesses.stop(build, Duration.ofSeconds(10));
        throw new IllegalStateException(
            "kc.sh build did not finish within " + BUILD_TIMEOUT + "; see " + log);
      }
    } catch (InterruptedException e) {
      KeycloakProcesses.stop(build, Duration.ofSeconds(10));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while Keycloak was being built", e);
    }
    if (build.exitValue() != 0) {
      throw new IllegalStateException(
          "kc.sh build failed with exit code "
              + build.exitValue()
              + ":\n"
              + KeycloakProcesses.tail(log));
    }
    Files.writeString(marker, wanted);
    logTook("augmented Keycloak " + version + " (kc.sh build " + wanted + ")", started);
  }

  private static void logTook(String what, long startedNanos) {
    LOG.log(
        System.Logger.Level.INFO,
        "{0} in {1} ms",
        what,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
  }

  static Path kcScript(Path home) {
    return home.resolve("bin").resolve("kc.sh");
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
