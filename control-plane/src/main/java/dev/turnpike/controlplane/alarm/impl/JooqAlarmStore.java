package dev.turnpike.controlplane.alarm.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.ALARMS;
import static dev.turnpike.db.Tables.ALARM_HISTORY;

import dev.turnpike.controlplane.alarm.Alarm;
import dev.turnpike.controlplane.alarm.AlarmStore;
import dev.turnpike.controlplane.alarm.AlarmTransition;
import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.db.TenantApis;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.db.tables.records.AlarmHistoryRecord;
import dev.turnpike.db.tables.records.AlarmsRecord;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** {@link AlarmStore} on the alarms and alarm_history tables. */
public final class JooqAlarmStore implements AlarmStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqAlarmStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public boolean apiExists(UUID apiId) {
    return TenantApis.exists(tx, tenantId, apiId);
  }

  @Override
  public boolean lockApi(UUID apiId) {
    return TenantApis.lock(tx, tenantId, apiId);
  }

  @Override
  public Optional<Alarm> find(UUID apiId, UUID alarmId) {
    return tx.selectFrom(ALARMS)
        .where(ALARMS.TENANT_ID.eq(tenantId))
        .and(ALARMS.API_ID.eq(apiId))
        .and(ALARMS.ID.eq(alarmId))
        .fetchOptional(JooqAlarmStore::alarm);
  }

  @Override
  public List<Alarm> list(UUID apiId) {
    return tx.selectFrom(ALARMS)
        .where(ALARMS.TENANT_ID.eq(tenantId).and(ALARMS.API_ID.eq(apiId)))
        .orderBy(ALARMS.NAME)
        .fetch(JooqAlarmStore::alarm);
  }

  @Override
  public int count(UUID apiId) {
    return tx.fetchCount(ALARMS, ALARMS.TENANT_ID.eq(tenantId).and(ALARMS.API_ID.eq(apiId)));
  }

  @Override
  public void insert(Alarm alarm, String storedSigningSecret) {
    AlarmsRecord r = tx.newRecord(ALARMS);
    r.setSigningSecret(storedSigningSecret);
    r.setId(alarm.id());
    r.setTenantId(tenantId);
    r.setApiId(alarm.apiId());
    r.setState(alarm.state());
    r.setCreatedAt(time(alarm.createdAt()));
    fill(r, alarm);
    try {
      r.insert();
    } catch (DataAccessException e) {
      throw nameTaken(e, alarm);
    }
  }

  @Override
  public void update(Alarm alarm) {
    AlarmsRecord r =
        tx.selectFrom(ALARMS)
            .where(ALARMS.TENANT_ID.eq(tenantId).and(ALARMS.ID.eq(alarm.id())))
            .fetchSingle();
    fill(r, alarm);
    try {
      r.update();
    } catch (DataAccessException e) {
      throw nameTaken(e, alarm);
    }
  }

  @Override
  public void setSigningSecret(UUID alarmId, String storedSigningSecret) {
    tx.update(ALARMS)
        .set(ALARMS.SIGNING_SECRET, storedSigningSecret)
        .where(ALARMS.TENANT_ID.eq(tenantId).and(ALARMS.ID.eq(alarmId)))
        .execute();
  }

  @Override
  public void delete(UUID alarmId) {
    tx.deleteFrom(ALARMS).where(ALARMS.TENANT_ID.eq(tenantId).and(ALARMS.ID.eq(alarmId))).execute();
  }

  @Override
  public List<AlarmTransition> history(UUID alarmId, int limit) {
    return tx.selectFrom(ALARM_HISTORY)
        .where(ALARM_HISTORY.TENANT_ID.eq(tenantId).and(ALARM_HISTORY.ALARM_ID.eq(alarmId)))
        .orderBy(ALARM_HISTORY.AT.desc())
        .limit(limit)
        .fetch(JooqAlarmStore::transition);
  }

  private static RuntimeException nameTaken(DataAccessException e, Alarm alarm) {
    if (SqlErrors.isUniqueViolation(e)) {
      return ApiFailure.conflict("The API already has an alarm named " + alarm.name());
    }
    return e;
  }

  private static void fill(AlarmsRecord r, Alarm alarm) {
    r.setName(alarm.name());
    r.setStage(alarm.stage());
    r.setMetric(alarm.metric());
    r.setComparison(alarm.comparison());
    r.setThreshold(alarm.threshold());
    r.setWindowMinutes(alarm.windowMinutes());
    r.setWebhookUrl(alarm.webhookUrl());
    r.setEnabled(alarm.enabled());
    r.setUpdatedAt(time(alarm.updatedAt()));
  }

  static Alarm alarm(AlarmsRecord r) {
    return new Alarm(
        r.getId(),
        r.getApiId(),
        r.getName(),
        r.getStage(),
        r.getMetric(),
        r.getComparison(),
        r.getThreshold(),
        r.getWindowMinutes(),
        r.getWebhookUrl(),
        r.getEnabled(),
        r.getState(),
        r.getStateValue(),
        r.getStateChangedAt() == null ? null : instant(r.getStateChangedAt()),
        r.getEvaluatedAt() == null ? null : instant(r.getEvaluatedAt()),
        instant(r.getCreatedAt()),
        instant(r.getUpdatedAt()),
        r.getSigningSecret() != null,
        null);
  }

  private static AlarmTransition transition(AlarmHistoryRecord r) {
    return new AlarmTransition(
        r.getId(),
        r.getAlarmId(),
        instant(r.getAt()),
        r.getFromState(),
        r.getToState(),
        r.getValue(),
        r.getReason(),
        r.getWebhook());
  }
}
