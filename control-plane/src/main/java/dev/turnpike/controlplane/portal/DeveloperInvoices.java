package dev.turnpike.controlplane.portal;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The invoices of a developer's own apps, with their lines; nobody else's. */
public final class DeveloperInvoices {
  public List<PortalStore.Invoice> list(TenantTx tx) {
    Set<UUID> own = ownApps(tx);
    return own.isEmpty() ? List.of() : tx.store(PortalStore.class).invoices(own);
  }

  public PortalStore.Invoice get(TenantTx tx, UUID invoiceId) {
    return list(tx).stream()
        .filter(i -> i.id().equals(invoiceId))
        .findFirst()
        .orElseThrow(() -> ApiFailure.notFound("Invoice " + invoiceId));
  }

  /** Deleted apps too: their invoices stay the developer's. */
  private static Set<UUID> ownApps(TenantTx tx) {
    return tx.store(PortalStore.class).appsOwnedBy(tx.caller().userId());
  }
}
