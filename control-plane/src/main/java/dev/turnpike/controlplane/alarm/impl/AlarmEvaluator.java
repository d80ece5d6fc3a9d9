package dev.turnpike.controlplane.alarm.impl;

import static dev.turnpike.db.Tables.ALARMS;
import static dev.turnpike.db.Tables.ALARM_HISTORY;
import static dev.turnpike.db.Tables.USAGE_AGGREGATES;

import dev.turnpike.controlplane.alarm.Alarm;
import dev.turnpike.controlplane.alarm.AlarmMetric;
import dev.turnpike.controlplane.alarm.Comparison;
import dev.turnpike.db.tables.records.AlarmsRecord;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every tenant's enabled alarms from metering's minute aggregates, every interval. Each
 * round takes the alarms evaluated longest ago with {@code FOR UPDATE SKIP LOCKED}, so two control
 * planes share the alarms rather than both judging one (and calling its webhook twice). A change of
 * state is written with its history row in the round's transaction; the webhook is called after the
 * commit, on a small pool of its own with a bounded queue, so a slow or dead receiver delays
 * neither the round nor any other tenant's alarms beyond its pool share. Each call is retried a
 * bounded number of times; its outcome is written to the history row, never thrown.
 *
 * <p>Reads and writes run as the system role (every tenant's alarms), each query naming the alarm's
 * own tenant, so one tenant's alarm reads only its own traffic.
 */
public final class AlarmEvaluator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmEvaluator.class);
  private static final String MINUTE = "minute";

  /**
   * @param interval between rounds
   * @param batchSize alarms judged in one round at most
   * @param webhookThreads calls in flight at most
   * @param webhookQueue calls waiting at most; more are recorded as failed
   * @param webhookAttempts tries of one call at most
   * @param retryDelay between tries
   */
  public record Config(
      Duration interval,
      int batchSize,
      int webhookThreads,
      int webhookQueue,
      int webhookAttempts,
      Duration retryDelay) {
    public static Config defaults() {
      return new Config(Duration.ofSeconds(60), 1000, 4, 1000, 3, Duration.ofSeconds(5));
    }
  }

  /** A change of state found in a round, and its call to make. */
  public record Transition(UUID historyId, UUID tenantId, String webhookUrl, String body) {}

  private final DSLContext system;
  private final WebhookSender sender;
  private final Clock clock;
  private final Config config;
  private final ThreadPoolExecutor calls;
  private final ScheduledExecutorService rounds;

  public AlarmEvaluator(DSLContext system, WebhookSender sender, Clock clock, Config config) {
    this.system = system;
    this.sender = sender;
    this.clock = clock;
    this.config = config;
    this.calls =
        new ThreadPoolExecutor(
            config.webhookThreads(),
            config.webhookThreads(),
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(config.webhookQueue()),
            Thread.ofPlatform().name("alarm-webhook-", 0).daemon().factory());
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
  }

  /** One round: judges the due alarms, then hands their webhook calls to the pool. */
  public List<Transition> round() {
    List<Transition> transitions = evaluate();
    for (Transition t : transitions) {
      deliver(t, 1);
    }
    return transitions;
  }

  List<Transition> evaluate() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    // Not judged again within half an interval: another control plane just did.
    Instant dueBefore = now.minus(config.interval().dividedBy(2));
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
          for (AlarmsRecord alarm : due) {
            Transition t = judge(tx, alarm, now);
            if (t != null) {
              found.add(t);
            }
          }
          return found;
        });
  }

  private Transition judge(DSLContext tx, AlarmsRecord alarm, Instant now) {
    AlarmMetric metric = AlarmMetric.of(alarm.getMetric()).orElseThrow();
    Comparison comparison = Comparison.of(alarm.getComparison()).orElseThrow();
    double value = metric.valueOf(totals(tx, alarm, now));
    String state = comparison.holds(value, alarm.getThreshold()) ? Alarm.FIRING : Alarm.OK;
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
            .put("at", now.toString())
            .encode();
    return new Transition(historyId, alarm.getTenantId(), alarm.getWebhookUrl(), body);
  }

  /** The stage's minute buckets that started within the window. */
  private static AlarmMetric.WindowTotals totals(DSLContext tx, AlarmsRecord alarm, Instant now) {
    var u = USAGE_AGGREGATES;
    Instant since =
        now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(alarm.getWindowMinutes() - 1));
    var row =
        tx.select(
                DSL.sum(u.CALLS),
                DSL.sum(u.ERRORS_4XX),
                DSL.sum(u.ERRORS_5XX),
                DSL.sum(u.LATENCY_SUM_MICROS),
                DSL.max(u.LATENCY_MAX_MICROS))
            .from(u)
            .where(u.TENANT_ID.eq(alarm.getTenantId()))
            .and(u.GRANULARITY.eq(MINUTE))
            .and(u.BUCKET_START.ge(since.atOffset(ZoneOffset.UTC)))
            .and(u.API_ID.eq(alarm.getApiId().toString()))
            .and(u.STAGE.eq(alarm.getStage()))
            .fetchSingle();
    return new AlarmMetric.WindowTotals(
        count(row.value1()),
        count(row.value2()),
        count(row.value3()),
        count(row.value4()),
        row.value5() == null ? 0 : row.value5());
  }

  private void deliver(Transition t, int attempt) {
    try {
      calls.execute(() -> call(t, attempt));
    } catch (RejectedExecutionException e) {
      record(t, "failed: too many webhook calls waiting");
    }
  }

  private void call(Transition t, int attempt) {
    WebhookSender.Outcome outcome = sender.post(t.tenantId().toString(), t.webhookUrl(), t.body());
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

  private static long count(BigDecimal value) {
    return value == null ? 0 : value.longValueExact();
  }

  @Override
  public void close() {
    rounds.shutdownNow();
    calls.shutdownNow();
  }
}
