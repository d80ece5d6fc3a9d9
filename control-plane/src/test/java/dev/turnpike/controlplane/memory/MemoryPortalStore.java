package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.portal.Branding;
import dev.turnpike.controlplane.portal.Developer;
import dev.turnpike.controlplane.portal.PortalStore;
import dev.turnpike.controlplane.portal.PortalTenant;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tenant.Tenant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@link PortalStore} on the in-memory database. Billing writes the real invoices; here a test adds
 * the ones it needs with {@link #addInvoice}.
 */
final class MemoryPortalStore implements PortalStore {
  static final String BRANDING = "portal_branding";
  static final String DEVELOPERS = "tenant_developers";
  static final String HIDDEN_PLANS = "hidden_plans";
  static final String INVOICES = "invoices";

  private final UUID tenantId;
  private final MemoryDb.Table<Tenant> tenants;
  private final MemoryDb.Table<Branding> branding;
  private final MemoryDb.Table<Developer> developers;
  private final MemoryDb.Table<UUID> hidden;
  private final MemoryDb.Table<UsagePlan> plans;
  private final MemoryDb.Table<App> apps;
  private final MemoryDb.Table<Invoice> invoices;

  MemoryPortalStore(MemoryDb.Tx tx, UUID tenantId) {
    this.tenantId = tenantId;
    this.tenants = tx.table(MemoryTenantStore.TENANTS, tenantId, Tenant.class);
    this.branding = tx.table(BRANDING, tenantId, Branding.class);
    this.developers = tx.table(DEVELOPERS, tenantId, Developer.class);
    this.hidden = tx.table(HIDDEN_PLANS, tenantId, UUID.class);
    this.plans = tx.table(MemoryPlanStore.PLANS, tenantId, UsagePlan.class);
    this.apps = tx.table(MemoryAppStore.APPS, tenantId, App.class);
    this.invoices = tx.table(INVOICES, tenantId, Invoice.class);
  }

  static void addInvoice(MemoryDb.Tx tx, UUID tenantId, Invoice invoice) {
    tx.table(INVOICES, tenantId, Invoice.class).put(invoice.id(), invoice);
  }

  @Override
  public Optional<PortalTenant> tenant() {
    return tenants
        .get(tenantId)
        .map(
            t ->
                new PortalTenant(
                    t.id(),
                    t.slug(),
                    t.name(),
                    branding
                        .get(tenantId)
                        .map(Branding::withDefaults)
                        .orElse(Branding.defaults())));
  }

  @Override
  public void saveBranding(Branding saved) {
    if (tenants.get(tenantId).isPresent()) {
      branding.put(tenantId, saved);
    }
  }

  @Override
  public Optional<Developer> developer(UUID userId) {
    return developers.get(userId);
  }

  @Override
  public List<Developer> developers() {
    return developers.where(d -> true, Comparator.comparing(Developer::createdAt));
  }

  @Override
  public void insertDeveloper(Developer d) {
    if (developers.get(d.userId()).isPresent()) {
      throw ApiFailure.conflict("You registered in this portal at the same moment; try again");
    }
    developers.put(
        d.userId(),
        new Developer(
            d.userId(),
            d.displayName(),
            d.email(),
            d.company(),
            d.status(),
            null,
            null,
            d.createdAt(),
            d.updatedAt()));
  }

  @Override
  public void updateDeveloper(Developer d) {
    developers
        .get(d.userId())
        .ifPresent(
            old ->
                developers.put(
                    d.userId(),
                    new Developer(
                        d.userId(),
                        d.displayName(),
                        d.email(),
                        d.company(),
                        d.status(),
                        d.blockedReason(),
                        d.blockedAt(),
                        old.createdAt(),
                        d.updatedAt())));
  }

  @Override
  public Set<UUID> hiddenPlans() {
    return hidden.all().stream()
        .filter(id -> plans.get(id).isPresent())
        .collect(Collectors.toCollection(HashSet::new));
  }

  @Override
  public boolean setPlanVisible(UUID planId, boolean visible) {
    if (plans.get(planId).isEmpty()) {
      return false;
    }
    if (visible) {
      hidden.remove(planId);
    } else {
      hidden.put(planId, planId);
    }
    return true;
  }

  @Override
  public Set<UUID> appsOwnedBy(UUID userId) {
    return apps.where(a -> a.ownerUserId().equals(userId)).stream()
        .map(App::id)
        .collect(Collectors.toCollection(HashSet::new));
  }

  @Override
  public List<Invoice> invoices(Collection<UUID> appIds) {
    return invoices.where(
        i -> appIds.contains(i.appId()),
        Comparator.comparing(Invoice::periodStart).thenComparing(Invoice::createdAt).reversed());
  }
}
