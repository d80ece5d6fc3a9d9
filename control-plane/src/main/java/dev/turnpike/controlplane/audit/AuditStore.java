package dev.turnpike.controlplane.audit;

import java.util.List;

/** Reads the tenant's audit log, newest first. */
public interface AuditStore {
  /** Up to {@code limit} entries with ids below {@code beforeId}. */
  List<AuditEntry> page(int limit, long beforeId);
}
