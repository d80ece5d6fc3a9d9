package dev.turnpike.controlplane.outbox;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.util.UUID;

/**
 * Writes the gateway's config records to the outbox, keyed exactly as the gateway reads them from
 * the compacted topics.
 */
public final class ConfigPublisher {
  private final Outbox outbox;

  public ConfigPublisher(Outbox outbox) {
    this.outbox = outbox;
  }

  /**
   * Writes a stage's snapshot, refusing one the relay could not deliver: a record over {@code
   * limit} would be parked as failed after the change was accepted.
   *
   * @throws ApiFailure {@link ProblemKind#DEPLOYMENT_TOO_LARGE} naming the record's size and the
   *     limit; nothing is written, and the caller's transaction rolls back
   */
  public void deployment(DeploymentSnapshot snapshot, ConfigRecordLimit limit) {
    String key = Topics.deploymentKey(snapshot.tenantId(), snapshot.apiId(), snapshot.stage());
    byte[] record = DeploymentSnapshot.CODEC.encode(snapshot);
    ConfigRecordLimit.RecordSize size = ConfigRecordLimit.measure(key, record);
    if (!limit.admits(size)) {
      throw new ApiFailure(
          ProblemKind.DEPLOYMENT_TOO_LARGE,
          "Stage '"
              + snapshot.stage()
              + "' cannot be delivered to the gateways: "
              + limit.exceeded(size)
              + ". Split the API, or remove routes, request validation schemas or large mock"
              + " bodies, and deploy again.");
    }
    outbox.append(Topics.DEPLOYMENTS, key, record, UUID.fromString(snapshot.deploymentId()));
  }

  public void deploymentRemoved(String tenantId, String apiId, String stage) {
    outbox.append(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, stage), null);
  }

  /**
   * Writes a custom domain's record, refusing one the relay could not deliver.
   *
   * @throws ApiFailure {@link ProblemKind#DEPLOYMENT_TOO_LARGE} naming the size and the limit
   */
  public void domain(DomainRecord domain, ConfigRecordLimit limit) {
    byte[] record = DomainRecord.CODEC.encode(domain);
    ConfigRecordLimit.RecordSize size = ConfigRecordLimit.measure(domain.domainName(), record);
    if (!limit.admits(size)) {
      throw new ApiFailure(
          ProblemKind.DEPLOYMENT_TOO_LARGE,
          "Domain "
              + domain.domainName()
              + " cannot be delivered to the gateways: "
              + limit.exceeded(size)
              + ". Shorten its certificate chain or truststore, or map fewer base paths.");
    }
    outbox.append(Topics.DOMAINS, domain.domainName(), record);
  }

  /** Stops gateways serving the domain. */
  public void domainRemoved(String domainName) {
    outbox.append(Topics.DOMAINS, domainName, null);
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
