package dev.turnpike.controlplane;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the control plane from environment variables; see {@link ControlPlaneSettings}. */
public final class ControlPlaneMain {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMain.class);

  private ControlPlaneMain() {}

  public static void main(String[] args) {
    ControlPlaneSettings settings;
    try {
      settings = ControlPlaneSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      ControlPlane controlPlane = ControlPlane.start(settings);
      Runtime.getRuntime()
          .addShutdownHook(Thread.ofPlatform().name("cp-shutdown").unstarted(controlPlane::close));
    } catch (RuntimeException e) {
      LOG.error("the control plane did not start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }
}
