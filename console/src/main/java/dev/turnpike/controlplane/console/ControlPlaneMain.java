package dev.turnpike.controlplane.console;

import dev.turnpike.controlplane.ControlPlane;
import dev.turnpike.controlplane.ControlPlaneSettings;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the control plane process from environment variables, with the owner console mounted on
 * its server; see {@link ControlPlaneSettings} and {@link ConsoleSettings}.
 */
public final class ControlPlaneMain {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMain.class);

  private ControlPlaneMain() {}

  public static void main(String[] args) {
    ControlPlaneSettings settings;
    ConsoleSettings console;
    try {
      Map<String, String> env = System.getenv();
      settings = ControlPlaneSettings.fromEnvironment(env);
      console = ConsoleSettings.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      ControlPlane controlPlane = ControlPlane.start(settings, List.of(Console.feature(console)));
      Runtime.getRuntime()
          .addShutdownHook(Thread.ofPlatform().name("cp-shutdown").unstarted(controlPlane::close));
    } catch (RuntimeException e) {
      LOG.error("the control plane did not start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }
}
