package dev.turnpike.metering.node;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.turnpike.contracts.Topics;
import dev.turnpike.metering.aggregation.ProcessedEventPurger;
import dev.turnpike.metering.aggregation.UsageConsumer;
import dev.turnpike.metering.aggregation.impl.JdbcAggregationStore;
import dev.turnpike.migrations.SchemaMigrator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metering process: opens PostgreSQL (migrating it when given the owner's login) and checks the
 * schema, creates missing topics, starts the components (quota state, then any extra ones such as
 * rating), then the usage consumer, then the admin port. {@link #close} stops them in reverse.
 */
public final class MeteringService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MeteringService.class);

  private final HikariDataSource database;
  private final PrometheusMeterRegistry registry;
  private final ScheduledExecutorService scheduler;
  private final List<MeteringComponent> started = new ArrayList<>();
  private final CompletableFuture<Throwable> stoppedByFailure = new CompletableFuture<>();
  private UsageConsumer consumer;
  private SdkTracerProvider tracer;
  private Thread consumerThread;
  private AdminServer admin;

  private MeteringService(HikariDataSource database) {
    this.database = database;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("metering-timer").daemon().factory());
  }

  /** Starts metering with its own components only. */
  public static MeteringService start(MeteringSettings settings) {
    return start(settings, List.of(), Clock.systemUTC());
  }

  /**
   * Starts metering with {@code extraComponents} started after its own, before the consumer.
   *
   * @throws IllegalStateException when a part cannot start; whatever started is stopped again
   */
  public static MeteringService start(
      MeteringSettings settings, List<MeteringComponent> extraComponents, Clock clock) {
    LOG.info("starting metering: {}", settings);
    if (settings.dbOwnerUser() != null) {
      migrate(settings);
    }
    MeteringService service = new MeteringService(pool(settings));
    try {
      service.startParts(settings, extraComponents, clock);
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  private void startParts(
      MeteringSettings settings, List<MeteringComponent> extraComponents, Clock clock) {
    checkSchema();
    if (settings.createTopics()) {
      TopicBootstrap.createMissing(settings);
    }
    BatchListeners listeners = new BatchListeners();
    MeteringContext context =
        new MeteringContext(settings, database, registry, clock, scheduler, listeners);
    List<MeteringComponent> components = new ArrayList<>();
    if (settings.quotaEnabled()) {
      components.add(new QuotaComponent());
    }
    components.add(new StandingComponent());
    components.addAll(extraComponents);
    for (MeteringComponent component : components) {
      try {
        component.start(context);
      } catch (Exception e) {
        component.close();
        throw new IllegalStateException(
            "metering component " + component.name() + " did not start: " + e.getMessage(), e);
      }
      started.add(component);
      LOG.info("started metering component {}", component.name());
    }
    JdbcAggregationStore store = new JdbcAggregationStore(database);
    ProcessedEventPurger purger = new ProcessedEventPurger(store, settings.dedupWindow(), clock);
    long purgeSeconds = settings.purgeInterval().toSeconds();
    scheduler.scheduleWithFixedDelay(purger, purgeSeconds, purgeSeconds, TimeUnit.SECONDS);
    tracer = settings.tracing().start("turnpike-metering");
    consumer =
        new UsageConsumer(
            settings.consumer(Topics.USAGE),
            store,
            listeners,
            registry,
            tracer == null ? null : tracer.get("dev.turnpike.metering"));
    consumerThread =
        Thread.ofPlatform()
            .name("metering-usage-consumer")
            .start(
                () -> {
                  consumer.run();
                  if (consumer.failure() != null) {
                    stoppedByFailure.complete(consumer.failure());
                  }
                });
    if (settings.adminPort() >= 0) {
      admin =
          new AdminServer(
              settings.adminHost(),
              settings.adminPort(),
              settings.admin(),
              this::healthy,
              this::ready,
              registry);
      LOG.info("metering admin port {}", admin.port());
    }
  }

  private static void migrate(MeteringSettings settings) {
    PGSimpleDataSource owner = new PGSimpleDataSource();
    owner.setUrl(settings.dbUrl());
    owner.setUser(settings.dbOwnerUser());
    owner.setPassword(settings.dbOwnerPassword());
    var result = SchemaMigrator.migrate(owner);
    LOG.info("schema migrated ({} migrations applied now)", result.migrationsExecuted);
  }

  private static HikariDataSource pool(MeteringSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("turnpike-metering");
    config.setJdbcUrl(settings.dbUrl());
    config.setUsername(settings.dbMeteringUser());
    config.setPassword(settings.dbMeteringPassword());
    config.setMaximumPoolSize(settings.dbPoolSize());
    config.setConnectionTimeout(10_000);
    // Start even while PostgreSQL is away; the consumer retries until it is back.
    config.setInitializationFailTimeout(-1);
    // The batch statements differ only in array sizes: prepare them on the server once.
    config.addDataSourceProperty("prepareThreshold", "1");
    return new HikariDataSource(config);
  }

  private void checkSchema() {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "SELECT throttled, quota_exceeded FROM usage_aggregates LIMIT 0;"
              + " SELECT next_offset FROM consumer_offsets LIMIT 0;"
              + " SELECT event_id FROM processed_events LIMIT 0");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "the database is not at the schema metering needs (V19), or its login is not in role"
              + " turnpike_metering: "
              + e.getMessage()
              + "; migrate it (the control plane does at start) or set TURNPIKE_DB_OWNER_USER",
          e);
    }
  }

  /** The process works: the consumer has not stopped on a fatal failure. */
  public boolean healthy() {
    return consumer != null && consumer.state() != UsageConsumer.State.FAILED;
  }

  /** Consuming, and every component does its job. */
  public boolean ready() {
    return consumer != null
        && consumer.ready()
        && started.stream().allMatch(MeteringComponent::ready);
  }

  /** Completes with the failure that stopped the consumer by itself; never on a normal close. */
  public CompletableFuture<Throwable> failure() {
    return stoppedByFailure;
  }

  /** The admin port, or -1 when it is off. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    if (consumer != null) {
      consumer.close();
    }
    if (consumerThread != null) {
      try {
        consumerThread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (RuntimeException e) {
        LOG.warn("closing metering component {} failed: {}", started.get(i).name(), e.getMessage());
      }
    }
    scheduler.shutdownNow();
    database.close();
    registry.close();
    if (tracer != null) {
      // Sends the spans still queued (bounded) and stops the exporter.
      tracer.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
