package dev.turnpike.metering.node;

import dev.turnpike.metering.billing.BillingService;
import dev.turnpike.metering.billing.BillingSettings;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Billing as a part of the metering service: the period close, meter reporting to Stripe and the
 * billing HTTP API, on metering's pooled cross-tenant login.
 */
public final class BillingComponent implements MeteringComponent {
  private static final Logger LOG = LoggerFactory.getLogger(BillingComponent.class);

  private final BillingSettings settings;
  private Vertx vertx;
  private BillingService service;

  public BillingComponent(BillingSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "billing";
  }

  @Override
  public void start(MeteringContext context) throws Exception {
    vertx = Vertx.vertx();
    service =
        new BillingService(
            settings, DSL.using(context.database(), SQLDialect.POSTGRES), vertx, context.clock());
    service.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The billing API's bound port. */
  public int port() {
    return service.port();
  }

  @Override
  public void close() {
    try {
      if (service != null) {
        service.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Billing did not close cleanly: {}", e.getMessage());
    } finally {
      if (vertx != null) {
        vertx.close();
      }
    }
  }
}
