package dev.turnpike.metering.node;

import dev.turnpike.metering.billing.BillingSettings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts metering from environment variables; see {@link MeteringSettings} and, for rating,
 * invoices and Stripe, {@link BillingSettings}. Exits with 2 on bad settings and 1 when it cannot
 * start or its consumer stops on a fatal failure, so a supervisor restarts it.
 */
public final class MeteringMain {
  private static final Logger LOG = LoggerFactory.getLogger(MeteringMain.class);

  private MeteringMain() {}

  public static void main(String[] args) {
    MeteringSettings settings;
    BillingSettings billing;
    try {
      settings = MeteringSettings.fromEnvironment(System.getenv());
      billing = BillingSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    MeteringService service;
    try {
      service = MeteringService.start(settings, components(billing), java.time.Clock.systemUTC());
    } catch (RuntimeException e) {
      LOG.error("metering did not start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name("metering-shutdown").unstarted(service::close));
    Throwable failure = service.failure().join();
    LOG.error("metering stops: {}", failure.getMessage());
    System.exit(1);
  }

  /** The components started beside aggregation and quota state. */
  static List<MeteringComponent> components(BillingSettings billing) {
    return List.of(new BillingComponent(billing));
  }
}
