package dev.turnpike.controlplane.alarm;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An API's alarms and their history, within one tenant-scoped transaction. */
public interface AlarmStore {
  /** Whether the tenant has this API. */
  boolean apiExists(UUID apiId);

  /**
   * Locks the API until the transaction ends, serializing changes to its alarms.
   *
   * @return whether the tenant has this API
   */
  boolean lockApi(UUID apiId);

  Optional<Alarm> find(UUID apiId, UUID alarmId);

  /** By name. */
  List<Alarm> list(UUID apiId);

  int count(UUID apiId);

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the name is taken
   */
  void insert(Alarm alarm, String storedSigningSecret);

  /** Replaces the alarm's signing secret (its stored form). */
  void setSigningSecret(UUID alarmId, String storedSigningSecret);

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the name is taken
   */
  void update(Alarm alarm);

  void delete(UUID alarmId);

  /** The alarm's transitions, newest first, at most {@code limit}. */
  List<AlarmTransition> history(UUID alarmId, int limit);
}
