package dev.turnpike.controlplane.app;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Apps and subscriptions, within one tenant-scoped transaction. Deleted apps are not found. */
public interface AppStore {
  /**
   * What a subscription needs of a plan.
   *
   * @param paid subscribers pay through checkout before the plan is theirs
   */
  record PlanTerms(String status, boolean requiresApproval, boolean paid) {}

  void insertApp(App app);

  Optional<App> findApp(UUID appId);

  /** Reads the app and locks it until the transaction ends. */
  Optional<App> lockApp(UUID appId);

  List<App> listApps();

  /**
   * How many apps (deleted ones aside) the user holds; takes a lock that serialises the user's app
   * creations in this tenant until the transaction ends, so two at once cannot both pass a cap.
   */
  int lockAndCountAppsOf(UUID userId);

  /** Apps that are not deleted. */
  int countApps();

  void updateApp(App app);

  Optional<PlanTerms> planTerms(UUID planId);

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the app has a live
   *     subscription to the plan
   */
  void insertSubscription(Subscription subscription);

  Optional<Subscription> findSubscription(UUID appId, UUID subscriptionId);

  List<Subscription> listSubscriptions(UUID appId);

  void updateSubscription(Subscription subscription);

  /** Revokes every key of the app, returning how many were live. */
  int revokeKeys(UUID appId, java.time.Instant now);
}
