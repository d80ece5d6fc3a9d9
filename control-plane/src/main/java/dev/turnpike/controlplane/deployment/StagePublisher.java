package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.EdgeConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import dev.turnpike.controlplane.tenant.TenantStore;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;

/**
 * Publishes what the gateway serves for a stage: its deployment's frozen definition with the
 * stage's current settings, or a tombstone when the stage serves nothing.
 */
public final class StagePublisher {
  private final ConfigRecordLimit recordLimit;
  private final TxStore<DeploymentStore> deploymentStore;
  private final TxStore<TenantStore> tenantStore;

  public StagePublisher(
      TxStore<DeploymentStore> deploymentStore,
      TxStore<TenantStore> tenantStore,
      ConfigRecordLimit recordLimit) {
    this.deploymentStore = deploymentStore;
    this.tenantStore = tenantStore;
    this.recordLimit = recordLimit;
  }

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure when the snapshot is too large to deliver
   */
  public DeploymentSnapshot publish(TenantTx tx, Stage stage) {
    DeploymentStore store = deploymentStore.in(tx);
    Deployment deployment =
        store
            .findDeployment(stage.apiId(), stage.deploymentId())
            .orElseThrow(() -> new IllegalStateException("stage points at a missing deployment"));
    FrozenApi definition = store.definition(deployment.id()).orElseThrow();
    String tenantSlug = tenantStore.in(tx).find(tx.tenantId()).orElseThrow().slug();
    DeploymentSnapshot snapshot =
        new DeploymentSnapshot(
            DeploymentSnapshot.SCHEMA_VERSION,
            tx.tenantId().toString(),
            tenantSlug,
            stage.apiId().toString(),
            definition.apiSlug(),
            stage.name(),
            deployment.id().toString(),
            deployment.hash(),
            deployment.createdAt(),
            stage.variables(),
            stage.throttle(),
            stage.methodThrottles(),
            stage.accessLogFields(),
            definition.routes(),
            definition.gatewayResponses(),
            definition.binaryMediaTypes(),
            definition.authorizers(),
            definition.apiKeySource(),
            // CORS is not applied from here yet: only this API's address policy and compression.
            new EdgeConfig(
                null,
                SourceIpPolicy.merge(definition.sourceIpPolicy(), stage.sourceIpPolicy()),
                definition.compression()));
    tx.config().deployment(snapshot, recordLimit);
    return snapshot;
  }

  public void withdraw(TenantTx tx, Stage stage) {
    tx.config().deploymentRemoved(tx.tenantId().toString(), stage.apiId().toString(), stage.name());
  }
}
