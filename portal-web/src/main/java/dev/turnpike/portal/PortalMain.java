package dev.turnpike.portal;

import java.util.concurrent.CountDownLatch;

/** Runs the developer portal with settings from the environment until the process is stopped. */
public final class PortalMain {
  private PortalMain() {}

  public static void main(String[] args) throws InterruptedException {
    PortalSettings settings;
    try {
      settings = PortalSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Portal portal = Portal.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  portal.close();
                  stopped.countDown();
                },
                "portal-shutdown"));
    stopped.await();
  }
}
