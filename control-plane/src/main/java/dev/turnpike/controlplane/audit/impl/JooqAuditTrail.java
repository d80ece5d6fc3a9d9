package dev.turnpike.controlplane.audit.impl;

import static dev.turnpike.db.Tables.AUDIT_LOG;

import dev.turnpike.controlplane.audit.AuditTrail;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.JSONB;

/** Appends audit rows through the change's own transaction. */
public final class JooqAuditTrail implements AuditTrail {
  private final DSLContext tx;
  private final UUID tenantId;
  private final Caller caller;
  private final Instant now;

  public JooqAuditTrail(DSLContext tx, UUID tenantId, Caller caller, Instant now) {
    this.tx = tx;
    this.tenantId = tenantId;
    this.caller = caller;
    this.now = now;
  }

  @Override
  public void record(
      String action, String entityType, Object entityId, Object before, Object after) {
    tx.insertInto(AUDIT_LOG)
        .set(AUDIT_LOG.TENANT_ID, tenantId)
        .set(AUDIT_LOG.ACTOR_USER_ID, caller.userId())
        .set(AUDIT_LOG.ACTOR, caller.label())
        .set(AUDIT_LOG.ACTION, action)
        .set(AUDIT_LOG.ENTITY_TYPE, entityType)
        .set(AUDIT_LOG.ENTITY_ID, entityId == null ? null : entityId.toString())
        .set(AUDIT_LOG.BEFORE, before == null ? null : JSONB.valueOf(Json.write(before)))
        .set(AUDIT_LOG.AFTER, after == null ? null : JSONB.valueOf(Json.write(after)))
        .set(AUDIT_LOG.CREATED_AT, now.atOffset(ZoneOffset.UTC))
        .execute();
  }
}
