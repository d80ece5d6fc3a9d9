package dev.turnpike.controlplane.portal;

import dev.turnpike.controlplane.db.Database;
import dev.turnpike.controlplane.openapi.OpenApiExport;
import dev.turnpike.controlplane.portal.impl.HttpCheckoutSessions;
import dev.turnpike.controlplane.portal.impl.JooqPortalStore;
import dev.turnpike.controlplane.portal.impl.SystemTenantSlugs;
import dev.turnpike.controlplane.portal.web.PortalEndpoints;
import dev.turnpike.controlplane.portal.web.PortalOwnerEndpoints;
import dev.turnpike.controlplane.tx.Stores;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import dev.turnpike.controlplane.web.UseCases;
import java.time.Clock;
import java.util.List;

/** Wires the developer portal's API into the control plane. */
public final class PortalFeature {
  private PortalFeature() {}

  public static Stores register(Stores stores) {
    return stores.register(PortalStore.class, JooqPortalStore::new);
  }

  /**
   * @param billingUrl null when there is no billing service
   */
  public static List<Endpoints> endpoints(
      Http http,
      Database database,
      Stores stores,
      UseCases u,
      String billingUrl,
      String billingToken) {
    DeveloperTransactor transactor =
        new DeveloperTransactor(
            database.app(), stores, new SystemTenantSlugs(database.system()), Clock.systemUTC());
    Catalog catalog = new Catalog(new OpenApiExport(null));
    Developers developers = new Developers();
    DeveloperApps apps = new DeveloperApps(u.apps(), u.subscriptions(), u.keys());
    PaidSubscriptions subscriptions =
        new PaidSubscriptions(
            transactor, catalog, apps, new HttpCheckoutSessions(billingUrl, billingToken));
    return List.of(
        new PortalEndpoints(
            http,
            new PortalEndpoints.PortalUseCases(
                transactor,
                catalog,
                developers,
                apps,
                subscriptions,
                new DeveloperUsage(apps),
                new DeveloperInvoices())),
        new PortalOwnerEndpoints(
            http, new PortalAdmin(), developers, new DeveloperBlocks(u.apps()), u.caps()));
  }
}
