package dev.turnpike.controlplane.portal;

import dev.turnpike.contracts.subscription.SubscriptionStatus;
import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.app.AppStore;
import dev.turnpike.controlplane.app.Subscription;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.plan.UsagePlans;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.Set;
import java.util.UUID;

/**
 * What an owner decides about their portal through the management API: its branding, which plans it
 * offers, and rejecting a subscription that waits for approval (approving is the apps feature's).
 */
public final class PortalAdmin {
  private final TxStore<PortalStore> portalStore;
  private final TxStore<PlanStore> planStore;
  private final TxStore<AppStore> appStore;

  public PortalAdmin(
      TxStore<PortalStore> portalStore, TxStore<PlanStore> planStore, TxStore<AppStore> appStore) {
    this.portalStore = portalStore;
    this.planStore = planStore;
    this.appStore = appStore;
  }

  public record Visibility(Boolean visible) {}

  public Branding branding(TenantTx tx) {
    return portalStore.in(tx).tenant().map(PortalTenant::branding).orElseThrow();
  }

  public Branding setBranding(TenantTx tx, Branding in) {
    Validation v = new Validation();
    in.validate(v);
    v.throwIfInvalid();
    PortalStore store = portalStore.in(tx);
    Branding before = branding(tx);
    Branding after = in.withDefaults();
    store.saveBranding(after);
    tx.audit().record("portal.branding", "tenant", tx.tenantId(), before, after);
    return after;
  }

  /** The plans the owner hid from the portal; every other plan is offered there. */
  public Set<UUID> hiddenPlans(TenantTx tx) {
    return portalStore.in(tx).hiddenPlans();
  }

  public Visibility setPlanVisibility(TenantTx tx, UUID planId, Visibility in) {
    // The resource must exist before its input is judged: 404 comes before 400.
    planStore.in(tx).find(planId).orElseThrow(() -> UsagePlans.notFound(planId));
    Validation v = new Validation();
    v.required("/visible", in.visible());
    v.throwIfInvalid();
    PortalStore store = portalStore.in(tx);
    boolean before = !store.hiddenPlans().contains(planId);
    if (!store.setPlanVisible(planId, in.visible())) {
      throw UsagePlans.notFound(planId);
    }
    tx.audit()
        .record(
            "plan.portal_visibility",
            "plan",
            planId,
            new Visibility(before),
            new Visibility(in.visible()));
    return in;
  }

  public Subscription reject(TenantTx tx, UUID appId, UUID subscriptionId) {
    AppStore store = appStore.in(tx);
    App app = store.lockApp(appId).orElseThrow(() -> ApiFailure.notFound("App " + appId));
    Subscription before =
        store
            .findSubscription(app.id(), subscriptionId)
            .orElseThrow(() -> ApiFailure.notFound("Subscription " + subscriptionId));
    // Not while a payment is under way: it would take the developer's money for nothing.
    SubscriptionStatus status = SubscriptionStatus.of(before.status());
    if (status != SubscriptionStatus.PENDING_APPROVAL && !status.payable()) {
      throw ApiFailure.conflict(
          "Only a pending subscription can be rejected; this one is " + before.status());
    }
    Subscription after =
        new Subscription(
            before.id(),
            appId,
            before.planId(),
            "cancelled",
            null,
            tx.now(),
            before.createdAt(),
            tx.now());
    store.updateSubscription(after);
    tx.audit().record("subscription.reject", "subscription", subscriptionId, before, after);
    return after;
  }
}
