package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.app.Subscription;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.plan.PlanApiStage;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.problem.ApiFailure;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link PlanStore} on the in-memory database. A plan's stage bindings go with their stage, as the
 * schema cascades them, and carry the stage's current name.
 */
final class MemoryPlanStore implements PlanStore {
  static final String PLANS = "usage_plans";

  private final MemoryDb.Table<UsagePlan> plans;
  private final MemoryDb.Table<Stage> stages;
  private final MemoryDb.Table<Subscription> subscriptions;

  MemoryPlanStore(MemoryDb.Tx tx, UUID tenantId) {
    this.plans = tx.table(PLANS, tenantId, UsagePlan.class);
    this.stages = tx.table(MemoryDeploymentStore.STAGES, tenantId, Stage.class);
    this.subscriptions = tx.table(MemoryAppStore.SUBSCRIPTIONS, tenantId, Subscription.class);
  }

  @Override
  public void insert(UsagePlan plan) {
    checkName(plan);
    plans.put(plan.id(), plan);
  }

  @Override
  public void update(UsagePlan plan) {
    UsagePlan old =
        plans.get(plan.id()).orElseThrow(() -> ApiFailure.notFound("Usage plan " + plan.id()));
    checkName(plan);
    plans.put(
        plan.id(),
        new UsagePlan(
            plan.id(),
            plan.name(),
            plan.description(),
            plan.throttle(),
            plan.quota(),
            plan.pricing(),
            plan.requiresApproval(),
            plan.status(),
            plan.apiStages(),
            old.createdAt(),
            plan.updatedAt(),
            plan.limitScope(),
            plan.maxConnectionsPerKey()));
  }

  private void checkName(UsagePlan plan) {
    if (plans.exists(p -> !p.id().equals(plan.id()) && p.name().equals(plan.name()))) {
      throw ApiFailure.conflict("A usage plan named '" + plan.name() + "' exists");
    }
  }

  @Override
  public Optional<UsagePlan> find(UUID planId) {
    return plans.get(planId).map(this::withStages);
  }

  @Override
  public Optional<UsagePlan> lock(UUID planId) {
    return find(planId);
  }

  @Override
  public List<UsagePlan> list() {
    return plans
        .where(p -> true, Comparator.comparing(UsagePlan::createdAt).thenComparing(UsagePlan::id))
        .stream()
        .map(this::withStages)
        .toList();
  }

  @Override
  public int count() {
    return plans.count(p -> true);
  }

  @Override
  public void delete(UUID planId) {
    plans.remove(planId);
  }

  @Override
  public Optional<UUID> stageId(UUID apiId, String stageName) {
    return stages.where(s -> s.apiId().equals(apiId) && s.name().equals(stageName)).stream()
        .map(Stage::id)
        .findFirst();
  }

  @Override
  public Set<UUID> plansBoundTo(Collection<UUID> stageIds) {
    Set<UUID> bound = new HashSet<>();
    for (UsagePlan plan : list()) {
      if (plan.apiStages().stream().anyMatch(s -> stageIds.contains(s.stageId()))) {
        bound.add(plan.id());
      }
    }
    return bound;
  }

  @Override
  public boolean hasSubscriptions(UUID planId) {
    return subscriptions.exists(s -> s.planId().equals(planId));
  }

  private UsagePlan withStages(UsagePlan plan) {
    List<PlanApiStage> bound =
        plan.apiStages().stream()
            .flatMap(
                b ->
                    stages.get(b.stageId()).stream()
                        .map(
                            s ->
                                new PlanApiStage(
                                    s.apiId(),
                                    s.name(),
                                    s.id(),
                                    b.throttle(),
                                    b.methodThrottles())))
            .sorted(Comparator.comparing(PlanApiStage::apiId).thenComparing(PlanApiStage::stage))
            .toList();
    return new UsagePlan(
        plan.id(),
        plan.name(),
        plan.description(),
        plan.throttle(),
        plan.quota(),
        plan.pricing(),
        plan.requiresApproval(),
        plan.status(),
        bound,
        plan.createdAt(),
        plan.updatedAt(),
        plan.limitScope(),
        plan.maxConnectionsPerKey());
  }
}
