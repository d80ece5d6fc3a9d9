package dev.turnpike.controlplane.outbox;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;

/**
 * Writes the gateway's config records to the outbox, keyed exactly as the gateway reads them from
 * the compacted topics.
 */
public final class ConfigPublisher {
  private final Outbox outbox;

  public ConfigPublisher(Outbox outbox) {
    this.outbox = outbox;
  }

  public void deployment(DeploymentSnapshot snapshot) {
    outbox.append(
        Topics.DEPLOYMENTS,
        Topics.deploymentKey(snapshot.tenantId(), snapshot.apiId(), snapshot.stage()),
        DeploymentSnapshot.CODEC.encode(snapshot));
  }

  public void deploymentRemoved(String tenantId, String apiId, String stage) {
    outbox.append(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, stage), null);
  }

  public void key(KeyRecord key) {
    outbox.append(Topics.KEYS, key.keyHash(), KeyRecord.CODEC.encode(key));
  }

  public void keyRemoved(String keyHash) {
    outbox.append(Topics.KEYS, keyHash, null);
  }

  public void plan(PlanRecord plan) {
    outbox.append(
        Topics.PLANS,
        Topics.planKey(plan.tenantId(), plan.planId()),
        PlanRecord.CODEC.encode(plan));
  }

  public void planRemoved(String tenantId, String planId) {
    outbox.append(Topics.PLANS, Topics.planKey(tenantId, planId), null);
  }
}
