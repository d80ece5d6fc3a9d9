package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.alarm.Alarm;
import dev.turnpike.controlplane.alarm.AlarmStore;
import dev.turnpike.controlplane.alarm.AlarmTransition;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.problem.ApiFailure;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AlarmStore} on the in-memory database, with the schema's rule: a name once per API. No
 * evaluator runs here, so an alarm's history stays empty.
 */
final class MemoryAlarmStore implements AlarmStore {
  static final String ALARMS = "alarms";

  /** Signing secrets in their stored form, by alarm: a column of the alarms table in SQL. */
  static final String SIGNING_SECRETS = "alarm_signing_secrets";

  private final MemoryDb.Table<Alarm> alarms;
  private final MemoryDb.Table<Api> apis;
  private final MemoryDb.Table<String> secrets;

  MemoryAlarmStore(MemoryDb.Tx tx, UUID tenantId) {
    this.alarms = tx.table(ALARMS, tenantId, Alarm.class);
    this.apis = tx.table(MemoryApiStore.APIS, tenantId, Api.class);
    this.secrets = tx.table(SIGNING_SECRETS, tenantId, String.class);
  }

  @Override
  public boolean apiExists(UUID apiId) {
    return apis.get(apiId).isPresent();
  }

  @Override
  public boolean lockApi(UUID apiId) {
    // One transaction at a time runs on the in-memory database: reading is locking.
    return apiExists(apiId);
  }

  @Override
  public Optional<Alarm> find(UUID apiId, UUID alarmId) {
    return alarms.get(alarmId).filter(a -> a.apiId().equals(apiId));
  }

  @Override
  public List<Alarm> list(UUID apiId) {
    return alarms.where(a -> a.apiId().equals(apiId), Comparator.comparing(Alarm::name));
  }

  @Override
  public int count(UUID apiId) {
    return alarms.count(a -> a.apiId().equals(apiId));
  }

  @Override
  public void insert(Alarm alarm, String storedSigningSecret) {
    if (apis.get(alarm.apiId()).isEmpty()) {
      throw new IllegalStateException("no API " + alarm.apiId() + " (foreign key)");
    }
    checkName(alarm);
    alarms.put(alarm.id(), alarm);
    secrets.put(alarm.id(), storedSigningSecret);
  }

  @Override
  public void setSigningSecret(UUID alarmId, String storedSigningSecret) {
    if (alarms.get(alarmId).isPresent()) {
      secrets.put(alarmId, storedSigningSecret);
    }
  }

  @Override
  public void update(Alarm alarm) {
    checkName(alarm);
    alarms.put(alarm.id(), alarm);
  }

  private void checkName(Alarm alarm) {
    if (alarms.count(
            a ->
                a.apiId().equals(alarm.apiId())
                    && a.name().equals(alarm.name())
                    && !a.id().equals(alarm.id()))
        > 0) {
      throw ApiFailure.conflict("The API already has an alarm named " + alarm.name());
    }
  }

  @Override
  public void delete(UUID alarmId) {
    alarms.remove(alarmId);
    secrets.remove(alarmId);
  }

  @Override
  public List<AlarmTransition> history(UUID alarmId, int limit) {
    return List.of();
  }
}
