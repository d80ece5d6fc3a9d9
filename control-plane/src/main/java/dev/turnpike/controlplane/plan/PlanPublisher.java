package dev.turnpike.controlplane.plan;

import dev.turnpike.contracts.config.LimitScope;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.Collection;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;

/** Publishes plans to the gateway as {@link PlanRecord}s, or tombstones for plans that are gone. */
public final class PlanPublisher {
  private final TxStore<PlanStore> planStore;

  public PlanPublisher(TxStore<PlanStore> planStore) {
    this.planStore = planStore;
  }

  public Set<UUID> plansBoundTo(TenantTx tx, Collection<UUID> stageIds) {
    return stageIds.isEmpty() ? Set.of() : planStore.in(tx).plansBoundTo(stageIds);
  }

  public void republish(TenantTx tx, Collection<UUID> planIds) {
    PlanStore store = planStore.in(tx);
    planIds.stream()
        .sorted(Comparator.naturalOrder())
        .forEach(
            planId ->
                store
                    .find(planId)
                    .ifPresentOrElse(
                        plan -> publish(tx, plan),
                        () ->
                            tx.config().planRemoved(tx.tenantId().toString(), planId.toString())));
  }

  public PlanRecord publish(TenantTx tx, UsagePlan plan) {
    PlanRecord record =
        new PlanRecord(
            PlanRecord.SCHEMA_VERSION,
            tx.tenantId().toString(),
            plan.id().toString(),
            plan.name(),
            plan.throttle(),
            plan.quota(),
            plan.apiStages().stream()
                .map(
                    s ->
                        new PlanStage(
                            s.apiId().toString(), s.stage(), s.throttle(), s.methodThrottles()))
                .toList(),
            plan.limitScope().equals("subscription") ? LimitScope.SUBSCRIPTION : LimitScope.KEY,
            plan.maxConnectionsPerKey());
    tx.config().plan(record);
    return record;
  }
}
