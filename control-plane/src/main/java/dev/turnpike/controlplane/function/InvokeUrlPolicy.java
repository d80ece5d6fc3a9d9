package dev.turnpike.controlplane.function;

import java.util.UUID;

/**
 * The egress policy at save time, as integration URIs meet it ({@code
 * dev.turnpike.controlplane.api.EgressTargets#problem}): a function's invoke URL is a target the
 * gateway calls on the tenant's behalf like any other.
 */
@FunctionalInterface
public interface InvokeUrlPolicy {
  /**
   * Why {@code tenantId} may not register {@code url}, as a field error's message; null if it may.
   */
  String problem(UUID tenantId, String url);
}
