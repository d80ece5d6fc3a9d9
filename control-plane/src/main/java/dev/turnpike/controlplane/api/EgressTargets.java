package dev.turnpike.controlplane.api;

import dev.turnpike.egress.EgressDecision;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.UriTarget;
import java.util.UUID;

/**
 * The egress policy at save time: an integration URI whose host is literal (an address in any
 * spelling, {@code localhost}, a metadata service's name, a platform listener's name) and forbidden
 * is refused here, with the reason, so the owner learns it when saving rather than from a 500 at
 * the gateway. Hosts that are names are judged by the gateway on the address they resolve to.
 */
public final class EgressTargets {
  private final EgressPolicy policy;

  public EgressTargets(EgressPolicy policy) {
    this.policy = policy;
  }

  /** Why {@code tenantId} may not save {@code uri}, as a field error's message; null if it may. */
  public String problem(UUID tenantId, String uri) {
    UriTarget target = UriTarget.of(uri);
    if (target == null) {
      return null;
    }
    EgressDecision decision = target.check(policy, tenantId.toString());
    if (decision == null || decision.allowed()) {
      return null;
    }
    return "must not point at "
        + decision.reason()
        + ": the platform's egress policy refuses it (operators grant private targets, as VPC"
        + " links do)";
  }
}
