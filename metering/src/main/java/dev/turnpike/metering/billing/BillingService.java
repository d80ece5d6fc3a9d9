package dev.turnpike.metering.billing;

import dev.turnpike.listener.ListenerGuard;
import dev.turnpike.metering.checkout.CheckoutSessions;
import dev.turnpike.metering.checkout.impl.JooqCheckoutStore;
import dev.turnpike.metering.invoice.PeriodClose;
import dev.turnpike.metering.invoice.impl.JooqInvoiceStore;
import dev.turnpike.metering.rating.BillingPeriod;
import dev.turnpike.metering.stripe.MeterEventSync;
import dev.turnpike.metering.stripe.StripeApi;
import dev.turnpike.metering.stripe.impl.JooqMeterEventStore;
import dev.turnpike.metering.stripe.impl.JooqStripeLinks;
import dev.turnpike.metering.stripe.impl.StripeJavaApi;
import dev.turnpike.metering.webhook.StripeWebhooks;
import dev.turnpike.metering.webhook.impl.JooqPaymentLedger;
import dev.turnpike.webkit.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Billing inside the metering service: the period close job, meter reporting to Stripe, and the
 * billing HTTP API (Stripe webhook, checkout sessions). Without a Stripe key it runs ledger-only:
 * invoices are still rated, nothing reaches Stripe, and it says so at start.
 *
 * <p>Database work runs as metering's cross-tenant role on the given {@link DSLContext}.
 */
public final class BillingService {
  private static final Logger LOG = LoggerFactory.getLogger(BillingService.class);
  private static final int CATCH_UP_PERIODS = 2;

  private final BillingSettings settings;
  private final Vertx vertx;
  private final Clock clock;
  private final Blocking blocking = new Blocking("billing-");
  private final PeriodClose periodClose;
  private final MeterEventSync meterSync;
  private final BillingHttpApi api;
  private ScheduledExecutorService jobs;
  private HttpServer server;

  public BillingService(BillingSettings settings, DSLContext db, Vertx vertx, Clock clock) {
    this.settings = settings;
    this.vertx = vertx;
    this.clock = clock;
    this.periodClose = new PeriodClose(new JooqInvoiceStore(db));
    if (settings.stripeConfigured()) {
      StripeApi stripe =
          new StripeJavaApi(
              settings.stripeApiKey(), settings.stripeApiBase(), settings.stripeRetry());
      JooqStripeLinks links = new JooqStripeLinks(db);
      this.meterSync =
          new MeterEventSync(
              new JooqMeterEventStore(db),
              stripe,
              clock,
              settings.meterSettle(),
              settings.meterLookback());
      this.api =
          new BillingHttpApi(
              settings,
              new StripeWebhooks(settings.stripeWebhookSecret(), new JooqPaymentLedger(db, clock)),
              new CheckoutSessions(new JooqCheckoutStore(db), stripe, links),
              blocking);
    } else {
      this.meterSync = null;
      this.api = new BillingHttpApi(settings, null, null, blocking);
    }
  }

  /** Starts the HTTP API and the scheduled jobs; fails if the port cannot be bound. */
  public Future<Void> start() {
    if (settings.stripeConfigured()) {
      LOG.info("Billing starts with Stripe at {}", settings.stripeApiBase());
    } else {
      LOG.warn(
          "Stripe not configured: billing runs ledger-only (set TURNPIKE_STRIPE_API_KEY to"
              + " sell paid plans through Stripe)");
    }
    return new ListenerGuard("billing", settings.listener())
        .createServer(
            vertx, new HttpServerOptions().setHost(settings.host()).setPort(settings.port()))
        .requestHandler(api.router(vertx))
        .listen()
        .map(
            started -> {
              this.server = started;
              startJobs();
              LOG.info("Billing API listening on {}:{}", settings.host(), started.actualPort());
              return null;
            });
  }

  /** The bound port of the billing API (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  /** Closes the period that ended at least the grace period ago; idempotent. */
  public PeriodClose.Result closeLastPeriod() {
    BillingPeriod period =
        BillingPeriod.containing(clock.instant().minus(settings.periodCloseGrace())).previous();
    return periodClose.close(period);
  }

  /** One meter reporting round; a no-op when ledger-only. */
  public MeterEventSync.Result syncMeterEvents() {
    return meterSync == null ? new MeterEventSync.Result(0, 0) : meterSync.run();
  }

  private void startJobs() {
    jobs =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("billing-jobs").daemon().factory());
    jobs.scheduleWithFixedDelay(
        () -> guarded("period close", this::closeLastPeriod),
        0,
        settings.periodCloseInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    if (meterSync != null) {
      jobs.scheduleWithFixedDelay(
          () -> guarded("meter reporting", this::syncMeterEvents),
          settings.meterSyncInterval().toMillis(),
          settings.meterSyncInterval().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private static void guarded(String what, Runnable job) {
    try {
      job.run();
    } catch (RuntimeException e) {
      // The next run tries again; a scheduled task that throws would never run again.
      LOG.error("Billing {} failed; retrying at the next run", what, e);
    }
  }

  public Future<Void> close() {
    if (jobs != null) {
      jobs.shutdownNow();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.onComplete(done -> blocking.close());
  }
}
