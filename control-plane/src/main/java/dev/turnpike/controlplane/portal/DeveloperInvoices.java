package dev.turnpike.controlplane.portal;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The invoices of a developer's own apps, with their lines; nobody else's. */
public final class DeveloperInvoices {
  private final TxStore<PortalStore> portalStore;

  public DeveloperInvoices(TxStore<PortalStore> portalStore) {
    this.portalStore = portalStore;
  }

  public List<PortalStore.Invoice> list(TenantTx tx) {
    Set<UUID> own = ownApps(tx);
    return own.isEmpty() ? List.of() : portalStore.in(tx).invoices(own);
  }

  public PortalStore.Invoice get(TenantTx tx, UUID invoiceId) {
    return list(tx).stream()
        .filter(i -> i.id().equals(invoiceId))
        .findFirst()
        .orElseThrow(() -> ApiFailure.notFound("Invoice " + invoiceId));
  }

  /** Deleted apps too: their invoices stay the developer's. */
  private Set<UUID> ownApps(TenantTx tx) {
    return portalStore.in(tx).appsOwnedBy(tx.caller().userId());
  }
}
