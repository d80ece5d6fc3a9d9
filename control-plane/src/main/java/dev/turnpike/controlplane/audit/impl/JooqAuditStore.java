package dev.turnpike.controlplane.audit.impl;

import static dev.turnpike.db.Tables.AUDIT_LOG;

import dev.turnpike.controlplane.audit.AuditEntry;
import dev.turnpike.controlplane.audit.AuditStore;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;

/** {@link AuditStore} on the audit_log table. */
public final class JooqAuditStore implements AuditStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqAuditStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public List<AuditEntry> page(int limit, long beforeId) {
    return tx.selectFrom(AUDIT_LOG)
        .where(AUDIT_LOG.TENANT_ID.eq(tenantId))
        .and(AUDIT_LOG.ID.lt(beforeId))
        .orderBy(AUDIT_LOG.ID.desc())
        .limit(limit)
        .fetch(
            r ->
                new AuditEntry(
                    r.getId(),
                    r.getActorUserId(),
                    r.getActor(),
                    r.getAction(),
                    r.getEntityType(),
                    r.getEntityId(),
                    r.getBefore() == null ? null : r.getBefore().data(),
                    r.getAfter() == null ? null : r.getAfter().data(),
                    r.getCreatedAt().toInstant()));
  }
}
