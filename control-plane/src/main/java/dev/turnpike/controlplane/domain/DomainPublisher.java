package dev.turnpike.controlplane.domain;

import dev.turnpike.contracts.domain.BasePathMapping;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import dev.turnpike.controlplane.tenant.TenantStore;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes what gateways serve for a custom domain through the transactional outbox: its record
 * once it is verified and has a certificate (the private key stays sealed on the feed), a tombstone
 * when it is deleted.
 */
public final class DomainPublisher {
  private final TxStore<DomainStore> domainStore;
  private final TxStore<ApiStore> apiStore;
  private final TxStore<TenantStore> tenantStore;
  private final ConfigRecordLimit recordLimit;

  public DomainPublisher(
      TxStore<DomainStore> domainStore,
      TxStore<ApiStore> apiStore,
      TxStore<TenantStore> tenantStore,
      ConfigRecordLimit recordLimit) {
    this.domainStore = domainStore;
    this.apiStore = apiStore;
    this.tenantStore = tenantStore;
    this.recordLimit = recordLimit;
  }

  /**
   * Publishes the domain's current state when gateways serve it; does nothing before.
   *
   * @throws dev.turnpike.controlplane.problem.ApiFailure when the record is too large to deliver
   */
  public void publishIfServable(TenantTx tx, CustomDomain domain) {
    if (!domain.servable()) {
      return;
    }
    List<BasePathMapping> mappings = new ArrayList<>();
    ApiStore apis = apiStore.in(tx);
    for (DomainMapping m : domainStore.in(tx).mappings(domain.name())) {
      // A mapping's API is the tenant's by the schema; one deleted in this transaction is gone.
      Api api = apis.findApi(m.apiId()).orElse(null);
      if (api != null) {
        mappings.add(
            new BasePathMapping(m.basePath(), m.apiId().toString(), api.slug(), m.stage()));
      }
    }
    String tenantSlug = tenantStore.in(tx).find(tx.tenantId()).orElseThrow().slug();
    tx.config()
        .domain(
            new DomainRecord(
                DomainRecord.SCHEMA_VERSION,
                domain.name(),
                tx.tenantId().toString(),
                tenantSlug,
                domain.certificateChainPem(),
                domain.sealedPrivateKey(),
                domain.securityPolicy(),
                domain.truststorePem(),
                domain.crlPem(),
                mappings),
            recordLimit);
  }

  /** Stops gateways serving a domain that was servable. */
  public void withdraw(TenantTx tx, CustomDomain domain) {
    if (domain.servable()) {
      tx.config().domainRemoved(domain.name());
    }
  }
}
