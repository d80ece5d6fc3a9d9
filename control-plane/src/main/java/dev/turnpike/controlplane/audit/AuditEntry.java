package dev.turnpike.controlplane.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.json.Json;
import java.time.Instant;
import java.util.UUID;

/**
 * One recorded change.
 *
 * @param before the resource's JSON before the change, null when it was created
 * @param after the resource's JSON after the change, null when it was deleted
 */
public record AuditEntry(
    long id,
    UUID actorUserId,
    String actor,
    String action,
    String entityType,
    String entityId,
    @JsonRawValue String before,
    @JsonRawValue String after,
    Instant createdAt) {

  /**
   * The entry a change leaves: the caller as its actor, the resource before and after as JSON. The
   * one rule for what an audit row holds, whatever stores the log.
   *
   * @param id the log's number for it; 0 where the database numbers it as it is written
   */
  public static AuditEntry of(
      long id,
      Caller caller,
      Instant at,
      String action,
      String entityType,
      Object entityId,
      Object before,
      Object after) {
    return new AuditEntry(
        id,
        caller.userId(),
        caller.label(),
        action,
        entityType,
        entityId == null ? null : entityId.toString(),
        before == null ? null : Json.write(before),
        after == null ? null : Json.write(after),
        at);
  }
}
