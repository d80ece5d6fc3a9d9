package dev.turnpike.controlplane.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
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
    Instant createdAt) {}
