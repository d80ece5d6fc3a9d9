package dev.turnpike.controlplane.audit;

import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;

/** Reads the audit log page by page. */
public final class AuditLog {
  private final TxStore<AuditStore> auditStore;

  public AuditLog(TxStore<AuditStore> auditStore) {
    this.auditStore = auditStore;
  }

  /**
   * @param next the {@code before} value for the next page, null on the last page
   */
  public record Page(List<AuditEntry> items, Long next) {}

  public Page page(TenantTx tx, int limit, long beforeId) {
    List<AuditEntry> items = auditStore.in(tx).page(limit + 1, beforeId);
    if (items.size() > limit) {
      List<AuditEntry> shown = items.subList(0, limit);
      return new Page(List.copyOf(shown), shown.getLast().id());
    }
    return new Page(items, null);
  }
}
