package dev.turnpike.controlplane.alarm.impl;

import static dev.turnpike.db.Tables.ALARMS;
import static dev.turnpike.db.Tables.ALARM_HISTORY;

import dev.turnpike.controlplane.alarm.Alarm;
import dev.turnpike.controlplane.alarm.Comparison;
import dev.turnpike.controlplane.alarm.SigningSecrets;
import dev.turnpike.controlplane.alarm.WebhookSignature;
import dev.turnpike.db.tables.records.AlarmsRecord;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every tenant's enabled alarms every interval, from metering's minute aggregates or,
 * when the operator configured one, through Prometheus's HTTP API. Each round takes the alarms
 * evaluated longest ago with {@code FOR UPDATE SKIP LOCKED}, so two control planes share the alarms
 * rather than both judging one (and calling its webhook twice). A change of state (ok, firing, or
 * insufficient_data when the metric cannot be read) is written with its history row in the round's
 * transaction; the webhook is called after the commit, signed with the alarm's secret, on a pool
 * shared fairly between tenants ({@link FairWebhookPool}), so a slow or dead receiver delays
 * neither the round nor any other tenant's alarms. Each call is retried a bounded number of times;
 * its outcome is written to the history row, never thrown. Each round also deletes a bounded batch
 * of history older than the retention.
 *
 * <p>Reads and writes run as the system role (every tenant's alarms), each query naming the alarm's
 * own tenant, so one tenant's alarm reads only its own traffic.
 */
public final class AlarmEvaluator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmEvaluator.class);

  /**
   * @param interval between rounds
   * @param batchSize alarms judged in one round at most
   * @param webhookThreads calls in flight at most, all tenants together
   * @param webhookPerTenant calls of one tenant in flight at most; below {@code webhookThreads}
   * @param webhookQueue calls of one tenant waiting at most; more are recorded as failed
   * @param webhookAttempts tries of one call at most
   * @param retryDelay between tries
   * @param historyRetention history rows older than this are deleted
   * @param pruneBatch history rows deleted per statement; a round runs at most {@link
   *     #PRUNE_BATCHES_PER_ROUND} of them
   */
  public record Config(
      Duration interval,
      int batchSize,
      int webhookThreads,
      int webhookPerTenant,
      int webhookQueue,
      int webhookAttempts,
      Duration retryDelay,
      Duration historyRetention,
      int pruneBatch) {
    public static Config defaults() {
      return new Config(
          Duration.ofSeconds(60),
          1000,
          4,
          1,
          100,
          3,
          Duration.ofSeconds(5),
          Duration.ofDays(30),
          1000);
    }
  }

  /** Statements of pruning per round at most, so a large backlog is worked off over rounds. */
  public static final int PRUNE_BATCHES_PER_ROUND = 10;

  /** A change of state found in a round, and its call to make. */
  public record Transition(
      UUID historyId,
      UUID tenantId,
      UUID alarmId,
      String webhookUrl,
      String storedSecret,
      String body) {
    @Override
    public String toString() {
      return "Transition[" + historyId + ", alarm " + alarmId + "]";
    }
  }

  private final DSLContext system;
  private final MetricReader reader;
  private final WebhookSender sender;
  private final SigningSecrets secrets;
  private final Clock clock;
  private final Config config;
  private final FairWebhookPool calls;
  private final ScheduledExecutorService rounds;

  /** Reads metering's aggregates. */
  public AlarmEvaluator(
      DSLContext system, WebhookSender sender, SigningSecrets secrets, Clock clock, Config config) {
    this(system, new AggregateMetricReader(), sender, secrets, clock, config);
  }

  /**
   * Reads through Prometheus's HTTP API.
   *
   * @param prometheusUrl Prometheus's root URL, the operator's
   * @param prometheusTimeout of each query
   */
  public AlarmEvaluator(
      DSLContext system,
      String prometheusUrl,
      Duration prometheusTimeout,
      WebhookSender sender,
      SigningSecrets secrets,
      Clock clock,
      Config config) {
    this(
        system,
        new PrometheusMetricReader(prometheusUrl, prometheusTimeout),
        sender,
        secrets,
        clock,
        config);
  }

  private AlarmEvaluator(
      DSLContext system,
      MetricReader reader,
      WebhookSender sender,
      SigningSecrets secrets,
      Clock clock,
      Config config) {
    this.system = system;
    this.reader = reader;
    this.sender = sender;
    this.secrets = secrets;
    this.clock = clock;
    this.config = config;
    this.calls =
        new FairWebhookPool(
            config.webhookThreads(), config.webhookPerTenant(), config.webhookQueue());
    this.rounds =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("alarm-evaluator").daemon().factory());
  }

  /** Runs a round every interval until closed. */
  public AlarmEvaluator start() {
    long millis = config.interval().toMillis();
    rounds.scheduleWithFixedDelay(this::roundQuietly, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  private void roundQuietly() {
    try {
      round();
    } catch (RuntimeException e) {
      LOG.warn("alarm evaluation round failed: {}", e.toString());
    }
    try {
      prune();
    } catch (RuntimeException e) {
      LOG.warn("alarm history pruning failed: {}", e.toString());
    }
  }

  /** One round: judges the due alarms, then hands their webhook calls to the pool. */
  public List<Transition> round() {
    List<Transition> transitions = evaluate();
    for (Transition t : transitions) {
      deliver(t, 1);
    }
    return transitions;
  }

  /**
   * Deletes history older than the retention, {@code pruneBatch} rows per statement and at most
   * {@link #PRUNE_BATCHES_PER_ROUND} statements, each its own short transaction so no statement
   * holds many locks or runs long; a backlog is worked off over the next rounds.
   *
   * @return rows deleted
   */
  public int prune() {
    var h = ALARM_HISTORY;
    Instant cutoff = clock.instant().minus(config.historyRetention());
    int deleted = 0;
    for (int i = 0; i < PRUNE_BATCHES_PER_ROUND; i++) {
      int n =
          system
              .deleteFrom(h)
              .where(
                  h.ID.in(
                      DSL.select(h.ID)
                          .from(h)
                          .where(h.AT.lt(cutoff.atOffset(ZoneOffset.UTC)))
                          .orderBy(h.AT)
                          .limit(config.pruneBatch())
                          .forUpdate()
                          .skipLocked()))
              .execute();
      deleted += n;
      if (n < config.pruneBatch()) {
        break;
      }
    }
    return deleted;
  }

  List<Transition> evaluate() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    // Not judged again within half an interval: another control plane just did.
    Instant dueBefore = now.minus(config.interval().dividedBy(2));
    reader.roundStarted();
    // A round that reads slowly (a Prometheus near its timeout on every query) stops judging at
    // half an interval and commits; the alarms it did not reach keep their evaluated_at, so they
    // come first in the next round, and no round holds its locks for longer.
    long deadline = System.nanoTime() + config.interval().dividedBy(2).toNanos();
    return system.transactionResult(
        c -> {
          DSLContext tx = DSL.using(c);
          List<Transition> found = new ArrayList<>();
          List<AlarmsRecord> due =
              tx.selectFrom(ALARMS)
                  .where(ALARMS.ENABLED.isTrue())
                  .and(
                      ALARMS
                          .EVALUATED_AT
                          .isNull()
                          .or(ALARMS.EVALUATED_AT.lt(dueBefore.atOffset(ZoneOffset.UTC))))
                  .orderBy(ALARMS.EVALUATED_AT.asc().nullsFirst())
                  .limit(config.batchSize())
                  .forUpdate()
                  .skipLocked()
                  .fetch();
          for (int i = 0; i < due.size(); i++) {
            if (System.nanoTime() > deadline) {
              LOG.warn("alarm round out of time after {} of {} alarms", i, due.size());
              break;
            }
            Transition t = judge(tx, due.get(i), now);
            if (t != null) {
              found.add(t);
            }
          }
          return found;
        });
  }

  private Transition judge(DSLContext tx, AlarmsRecord alarm, Instant now) {
    Comparison comparison = Comparison.of(alarm.getComparison()).orElseThrow();
    AlarmReading reading = reader.read(tx, alarm, now);
    Double value = reading.readable() ? reading.value() : null;
    String state =
        !reading.readable()
            ? Alarm.INSUFFICIENT_DATA
            : comparison.holds(value, alarm.getThreshold()) ? Alarm.FIRING : Alarm.OK;
    String before = alarm.getState();
    alarm.setEvaluatedAt(now.atOffset(ZoneOffset.UTC));
    if (state.equals(before)) {
      alarm.update();
      return null;
    }
    alarm.setState(state);
    alarm.setStateValue(value);
    alarm.setStateChangedAt(now.atOffset(ZoneOffset.UTC));
    alarm.update();
    UUID historyId = UUID.randomUUID();
    tx.insertInto(ALARM_HISTORY)
        .set(ALARM_HISTORY.ID, historyId)
        .set(ALARM_HISTORY.TENANT_ID, alarm.getTenantId())
        .set(ALARM_HISTORY.ALARM_ID, alarm.getId())
        .set(ALARM_HISTORY.AT, now.atOffset(ZoneOffset.UTC))
        .set(ALARM_HISTORY.FROM_STATE, before)
        .set(ALARM_HISTORY.TO_STATE, state)
        .set(ALARM_HISTORY.VALUE, value)
        .set(ALARM_HISTORY.REASON, reading.problem())
        .execute();
    String body =
        new JsonObject()
            .put("alarmId", alarm.getId().toString())
            .put("name", alarm.getName())
            .put("apiId", alarm.getApiId().toString())
            .put("stage", alarm.getStage())
            .put("metric", alarm.getMetric())
            .put("comparison", alarm.getComparison())
            .put("threshold", alarm.getThreshold())
            .put("windowMinutes", alarm.getWindowMinutes())
            .put("previousState", before)
            .put("state", state)
            .put("value", value)
            .put("reason", reading.problem())
            .put("at", now.toString())
            .encode();
    return new Transition(
        historyId,
        alarm.getTenantId(),
        alarm.getId(),
        alarm.getWebhookUrl(),
        alarm.getSigningSecret(),
        body);
  }

  private void deliver(Transition t, int attempt) {
    if (!calls.submit(t.tenantId().toString(), () -> call(t, attempt))) {
      record(t, "failed: too many webhook calls waiting");
    }
  }

  private void call(Transition t, int attempt) {
    Map<String, String> headers;
    try {
      headers = signature(t);
    } catch (IllegalArgumentException e) {
      record(t, "failed: the signing secret cannot be opened (" + e.getMessage() + ")");
      return;
    }
    WebhookSender.Outcome outcome =
        sender.post(t.tenantId().toString(), t.webhookUrl(), t.body(), headers);
    boolean last = attempt >= config.webhookAttempts();
    if (outcome.delivered() || last || outcome.summary().contains("egress policy")) {
      record(t, outcome.summary() + (attempt > 1 ? " (try " + attempt + ")" : ""));
      return;
    }
    try {
      rounds.schedule(
          () -> deliver(t, attempt + 1), config.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      record(t, outcome.summary());
    }
  }

  /** Signed at each try, so the time in the signature is the try's. */
  private Map<String, String> signature(Transition t) {
    if (t.storedSecret() == null) {
      return Map.of();
    }
    String secret = secrets.open(t.storedSecret(), t.alarmId());
    return Map.of(
        WebhookSignature.HEADER,
        WebhookSignature.header(
            secret, clock.instant(), t.body().getBytes(StandardCharsets.UTF_8)));
  }

  private void record(Transition t, String webhook) {
    try {
      system
          .update(ALARM_HISTORY)
          .set(ALARM_HISTORY.WEBHOOK, webhook.length() > 300 ? webhook.substring(0, 300) : webhook)
          .where(ALARM_HISTORY.ID.eq(t.historyId()))
          .execute();
    } catch (RuntimeException e) {
      LOG.warn("recording webhook outcome of {} failed: {}", t.historyId(), e.toString());
    }
  }

  @Override
  public void close() {
    rounds.shutdownNow();
    calls.close();
    if (reader instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("closing the metric reader: {}", e.toString());
      }
    }
  }
}
