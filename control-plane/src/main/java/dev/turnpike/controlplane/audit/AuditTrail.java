package dev.turnpike.controlplane.audit;

/**
 * Records who changed what, in the transaction of the change itself, so a change and its audit row
 * commit or roll back together.
 */
public interface AuditTrail {
  /**
   * @param action e.g. {@code api.create}
   * @param before the resource before the change, null when created
   * @param after the resource after the change, null when deleted; serialized as JSON
   */
  void record(String action, String entityType, Object entityId, Object before, Object after);
}
