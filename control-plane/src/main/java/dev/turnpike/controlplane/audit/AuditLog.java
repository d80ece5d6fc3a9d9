package dev.turnpike.controlplane.audit;

import dev.turnpike.controlplane.tx.TenantTx;
import java.util.List;

/** Reads the audit log page by page. */
public final class AuditLog {
  /**
   * @param next the {@code before} value for the next page, null on the last page
   */
  public record Page(List<AuditEntry> items, Long next) {}

  public Page page(TenantTx tx, int limit, long beforeId) {
    List<AuditEntry> items = tx.store(AuditStore.class).page(limit + 1, beforeId);
    if (items.size() > limit) {
      List<AuditEntry> shown = items.subList(0, limit);
      return new Page(List.copyOf(shown), shown.getLast().id());
    }
    return new Page(items, null);
  }
}
