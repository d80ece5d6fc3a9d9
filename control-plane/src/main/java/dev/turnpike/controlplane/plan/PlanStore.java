package dev.turnpike.controlplane.plan;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Usage plans with their tiers and stage bindings, within one tenant-scoped transaction. */
public interface PlanStore {
  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the name is taken
   */
  void insert(UsagePlan plan);

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the name is taken
   */
  void update(UsagePlan plan);

  Optional<UsagePlan> find(UUID planId);

  /** Reads the plan and locks it until the transaction ends. */
  Optional<UsagePlan> lock(UUID planId);

  List<UsagePlan> list();

  int count();

  void delete(UUID planId);

  /** The id of the named stage of an API, if there is one. */
  Optional<UUID> stageId(UUID apiId, String stageName);

  Set<UUID> plansBoundTo(Collection<UUID> stageIds);

  boolean hasSubscriptions(UUID planId);
}
