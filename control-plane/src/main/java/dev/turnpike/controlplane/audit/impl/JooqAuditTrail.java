package dev.turnpike.controlplane.audit.impl;

import static dev.turnpike.db.Tables.AUDIT_LOG;

import dev.turnpike.controlplane.audit.AuditEntry;
import dev.turnpike.controlplane.audit.AuditTrail;
import dev.turnpike.controlplane.auth.Caller;
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
    AuditEntry entry = AuditEntry.of(0, caller, now, action, entityType, entityId, before, after);
    tx.insertInto(AUDIT_LOG)
        .set(AUDIT_LOG.TENANT_ID, tenantId)
        .set(AUDIT_LOG.ACTOR_USER_ID, entry.actorUserId())
        .set(AUDIT_LOG.ACTOR, entry.actor())
        .set(AUDIT_LOG.ACTION, entry.action())
        .set(AUDIT_LOG.ENTITY_TYPE, entry.entityType())
        .set(AUDIT_LOG.ENTITY_ID, entry.entityId())
        .set(AUDIT_LOG.BEFORE, entry.before() == null ? null : JSONB.valueOf(entry.before()))
        .set(AUDIT_LOG.AFTER, entry.after() == null ? null : JSONB.valueOf(entry.after()))
        .set(AUDIT_LOG.CREATED_AT, entry.createdAt().atOffset(ZoneOffset.UTC))
        .execute();
  }
}
