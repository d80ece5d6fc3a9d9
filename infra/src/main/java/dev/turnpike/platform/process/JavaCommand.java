package dev.turnpike.platform.process;

import dev.turnpike.platform.PlatformException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a JVM that runs a main class on a given classpath. */
public final class JavaCommand {
  private JavaCommand() {}

  /** The java launcher of the JDK this JVM runs on (the one {@code ./turnpike} found). */
  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public static List<String> of(
      String classpath, List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * The runtime classpath of a reactor module as its {@code package} left it: its classes and the
   * dependency list the build wrote to {@code target/classpath.txt} (see the parent pom).
   */
  public static String moduleClasspath(Path moduleDir) {
    Path classes = moduleDir.resolve("target").resolve("classes");
    Path listFile = moduleDir.resolve("target").resolve("classpath.txt");
    if (!Files.isDirectory(classes) || !Files.isRegularFile(listFile)) {
      throw new PlatformException(
          moduleDir.getFileName()
              + " is not built ("
              + classes
              + " or "
              + listFile
              + " is missing); ./turnpike up builds it, or run ./mvnw package -DskipTests");
    }
    try {
      String dependencies = Files.readString(listFile).strip();
      return dependencies.isEmpty() ? classes.toString() : classes + ":" + dependencies;
    } catch (IOException e) {
      throw new PlatformException("cannot read " + listFile + ": " + e.getMessage(), e);
    }
  }
}
