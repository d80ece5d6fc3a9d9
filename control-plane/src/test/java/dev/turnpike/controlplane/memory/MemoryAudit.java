package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.audit.AuditEntry;
import dev.turnpike.controlplane.audit.AuditStore;
import dev.turnpike.controlplane.audit.AuditTrail;
import dev.turnpike.controlplane.auth.Caller;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** The audit log as rows of the in-memory database: written by the trail, read by the store. */
final class MemoryAudit implements AuditTrail, AuditStore {
  static final String TABLE = "audit_log";

  private final MemoryDb.Tx tx;
  private final MemoryDb.Table<AuditEntry> entries;
  private final Caller caller;
  private final Instant now;

  /** A store that only reads: it has no caller to record. */
  MemoryAudit(MemoryDb.Tx tx, UUID tenantId) {
    this(tx, tenantId, null, null);
  }

  MemoryAudit(MemoryDb.Tx tx, UUID tenantId, Caller caller, Instant now) {
    this.tx = tx;
    this.entries = tx.table(TABLE, tenantId, AuditEntry.class);
    this.caller = caller;
    this.now = now;
  }

  @Override
  public void record(
      String action, String entityType, Object entityId, Object before, Object after) {
    long id = tx.nextId();
    entries.put(id, AuditEntry.of(id, caller, now, action, entityType, entityId, before, after));
  }

  @Override
  public List<AuditEntry> page(int limit, long beforeId) {
    return entries
        .where(e -> e.id() < beforeId, Comparator.comparingLong(AuditEntry::id).reversed())
        .stream()
        .limit(limit)
        .toList();
  }
}
