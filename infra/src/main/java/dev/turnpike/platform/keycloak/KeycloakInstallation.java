package dev.turnpike.platform.keycloak;

import dev.turnpike.platform.PlatformException;
import dev.turnpike.platform.process.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Keycloak server the local platform runs: the {@code keycloak-quarkus-dist} zip the build
 * fetched into the local Maven repository, unpacked once per machine into {@code
 * ~/.cache/turnpike/keycloak/<version>-dev-file/} and augmented once ({@code kc.sh build
 * --db=dev-file}) so each start after that is {@code start --optimized}.
 *
 * <p>The contracts test kit keeps its own tree ({@code <version>/}, built for an in-memory
 * database): the two build options cannot share one augmented tree, and the platform keeps its
 * users between runs where tests must not.
 */
final class KeycloakInstallation {
  static final List<String> BUILD_OPTIONS = List.of("--db=dev-file");
  private static final String BUILT_MARKER = ".turnpike-built";
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

  private final String version;
  private final Path zip;
  private final Path home;

  private KeycloakInstallation(String version, Path zip, Path home) {
    this.version = version;
    this.zip = zip;
    this.home = home;
  }

  /** The version and Maven repository the build recorded in {@code keycloak-dist.properties}. */
  static KeycloakInstallation fromBuild() {
    Properties recorded = new Properties();
    try (InputStream in =
        KeycloakInstallation.class.getResourceAsStream("keycloak-dist.properties")) {
      if (in == null) {
        throw new PlatformException("keycloak-dist.properties is missing; rebuild infra");
      }
      recorded.load(in);
    } catch (IOException e) {
      throw new PlatformException("cannot read keycloak-dist.properties", e);
    }
    String version = recorded.getProperty("version");
    Path zip =
        Path.of(recorded.getProperty("localRepository"))
            .resolve(
                Path.of(
                    "org",
                    "keycloak",
                    "keycloak-quarkus-dist",
                    version,
                    "keycloak-quarkus-dist-" + version + ".zip"));
    return new KeycloakInstallation(version, zip, cacheRoot().resolve(version + "-dev-file"));
  }

  private static Path cacheRoot() {
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

  boolean prepared() {
    return Files.isRegularFile(home.resolve(BUILT_MARKER));
  }

  /**
   * Unpacks and augments the distribution unless an earlier run did; a file lock keeps two
   * launchers from doing it at once.
   */
  Path prepare(Map<String, String> environment, Path log) {
    try {
      Files.createDirectories(home.getParent());
      try (FileChannel channel =
          FileChannel.open(
              home.getParent().resolve(home.getFileName() + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          if (!Files.isDirectory(home)) {
            unpack();
          }
          augment(environment, log);
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new PlatformException("cannot prepare Keycloak in " + home + ": " + e.getMessage(), e);
    }
    return home;
  }

  private void unpack() throws IOException {
    if (!Files.isRegularFile(zip)) {
      throw new PlatformException(
          "the Keycloak "
              + version
              + " server zip is not at "
              + zip
              + "; the build fetches it (./mvnw -pl contracts generate-test-resources)");
    }
    Path staging = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : Collections.list(archive.entries())) {
        String name = entry.getName();
        int slash = name.indexOf('/');
        Path target = staging.resolve(slash < 0 ? "" : name.substring(slash + 1)).normalize();
        if (!target.startsWith(staging)) {
          throw new IOException("zip entry outside the distribution: " + name);
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
      try (Stream<Path> scripts = Files.list(staging.resolve("bin"))) {
        for (Path script : scripts.filter(p -> p.toString().endsWith(".sh")).toList()) {
          Set<PosixFilePermission> permissions =
              EnumSet.copyOf(Files.getPosixFilePermissions(script));
          permissions.add(PosixFilePermission.OWNER_EXECUTE);
          Files.setPosixFilePermissions(script, permissions);
        }
      }
      Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e;
    }
  }

  /** The marker is written last, so a build cut short is redone next time. */
  private void augment(Map<String, String> environment, Path log) throws IOException {
    Path marker = home.resolve(BUILT_MARKER);
    String wanted = String.join(" ", BUILD_OPTIONS);
    if (Files.isRegularFile(marker) && Files.readString(marker).equals(wanted)) {
      return;
    }
    Files.deleteIfExists(marker);
    List<String> command =
        Stream.concat(
                Stream.of("/bin/sh", kcScript(home).toString(), "build"), BUILD_OPTIONS.stream())
            .toList();
    ChildProcess build =
        ChildProcess.start(
            "Keycloak build", command, environment, home, log, Duration.ofSeconds(10));
    try {
      int exit = build.waitFor(BUILD_TIMEOUT);
      if (exit != 0) {
        throw new PlatformException(
            "kc.sh build failed with exit code "
                + exit
                + "; the end of "
                + log
                + ":\n"
                + ChildProcess.tail(log));
      }
    } catch (PlatformException e) {
      build.close();
      throw e;
    } catch (InterruptedException e) {
      build.close();
      Thread.currentThread().interrupt();
      throw new PlatformException("interrupted while Keycloak was being built", e);
    }
    Files.writeString(marker, wanted);
  }

  static Path kcScript(Path home) {
    return home.resolve("bin").resolve("kc.sh");
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("cannot delete " + root + ": " + e.getMessage());
    }
  }
}
