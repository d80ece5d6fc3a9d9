package dev.turnpike.controlplane.portal;

import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.apikey.ApiKeyStore;
import dev.turnpike.controlplane.app.AppStore;
import dev.turnpike.controlplane.db.Database;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.portal.impl.HttpCheckoutSessions;
import dev.turnpike.controlplane.portal.impl.JooqPortalStore;
import dev.turnpike.controlplane.portal.impl.SystemTenantSlugs;
import dev.turnpike.controlplane.portal.web.PortalEndpoints;
import dev.turnpike.controlplane.portal.web.PortalOwnerEndpoints;
import dev.turnpike.controlplane.tx.Stores;
import dev.turnpike.controlplane.tx.TxStore;
import dev.turnpike.controlplane.usage.UsageStore;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import dev.turnpike.controlplane.web.UseCases;
import java.time.Clock;
import java.util.List;
import org.jooq.DSLContext;

/** Wires the developer portal's API into the control plane. */
public final class PortalFeature {
  private PortalFeature() {}

  /** What the owner does with the portal, from the console as from the management API. */
  public record OwnerUseCases(PortalAdmin admin, Developers developers, DeveloperBlocks blocks) {}

  public static Stores<DSLContext> register(Stores<DSLContext> stores) {
    return stores.register(PortalStore.class, JooqPortalStore::new);
  }

  /**
   * @param billingUrl null when there is no billing service
   */
  public static List<Endpoints> endpoints(
      Http http,
      Database database,
      Stores<DSLContext> stores,
      UseCases u,
      String billingUrl,
      String billingToken) {
    DeveloperTransactor transactor =
        new DeveloperTransactor(
            database.app(), stores, new SystemTenantSlugs(database.system()), Clock.systemUTC());
    TxStore<PlanStore> planStore = stores.port(PlanStore.class);
    TxStore<AppStore> appStore = stores.port(AppStore.class);
    Catalog catalog =
        new Catalog(
            stores.port(PortalStore.class),
            planStore,
            stores.port(DeploymentStore.class),
            stores.port(ApiStore.class),
            u.openApiExport());
    OwnerUseCases owner = ownerUseCases(stores, u);
    DeveloperApps apps =
        new DeveloperApps(appStore, planStore, u.apps(), u.subscriptions(), u.keys());
    PaidSubscriptions subscriptions =
        new PaidSubscriptions(
            transactor, catalog, apps, new HttpCheckoutSessions(billingUrl, billingToken));
    return List.of(
        new PortalEndpoints(
            http,
            new PortalEndpoints.PortalUseCases(
                transactor,
                catalog,
                owner.developers(),
                apps,
                subscriptions,
                new DeveloperUsage(
                    stores.port(UsageStore.class),
                    stores.port(ApiKeyStore.class),
                    planStore,
                    appStore,
                    apps),
                new DeveloperInvoices(stores.port(PortalStore.class)))),
        new PortalOwnerEndpoints(
            http, owner.admin(), owner.developers(), owner.blocks(), u.caps()));
  }

  public static OwnerUseCases ownerUseCases(Stores<?> stores, UseCases u) {
    TxStore<PortalStore> portalStore = stores.port(PortalStore.class);
    return new OwnerUseCases(
        new PortalAdmin(portalStore, stores.port(PlanStore.class), stores.port(AppStore.class)),
        new Developers(portalStore),
        new DeveloperBlocks(portalStore, u.apps()));
  }
}
