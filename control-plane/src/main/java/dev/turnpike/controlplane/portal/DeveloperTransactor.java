package dev.turnpike.controlplane.portal;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tx.Stores;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import dev.turnpike.controlplane.tx.impl.JooqTenantTx;
import dev.turnpike.migrations.TenantTransactions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Runs portal work in one transaction scoped (by row-level security) to the tenant a portal slug
 * names. Developers are not tenant members: they get the tenant's scope with no management rights
 * (the transaction carries {@link Role#VIEWER}, which no portal use case consults), and every
 * portal use case limits them to their own apps itself. Blocking: call it off the event loop.
 */
public final class DeveloperTransactor {
  /** Who the anonymous visitor of a public page is, should anything try to audit them. */
  private static final Caller VISITOR = new Caller(null, "anonymous", null, "anonymous visitor");

  private final DSLContext app;
  private final Stores<DSLContext> stores;
  private final TenantSlugs slugs;
  private final Clock clock;
  private final TxStore<PortalStore> portalStore;

  public DeveloperTransactor(
      DSLContext app, Stores<DSLContext> stores, TenantSlugs slugs, Clock clock) {
    this.portalStore = stores.port(PortalStore.class);

    this.app = app;
    this.stores = stores;
    this.slugs = slugs;
    this.clock = clock;
  }

  /** For public pages: anyone may read the catalog of an active tenant's portal. */
  public <T> T anonymous(String slug, Function<TenantTx, T> work) {
    return inScope(tenantId(slug), VISITOR, work);
  }

  /** For a signed-in person who need not have registered in this portal yet. */
  public <T> T signedIn(Caller caller, String slug, Function<TenantTx, T> work) {
    return inScope(tenantId(slug), caller, work);
  }

  /** For a change by a developer registered (and not blocked) in this portal. */
  public <T> T asDeveloper(Caller caller, String slug, Function<TenantTx, T> work) {
    return inScope(
        tenantId(slug),
        caller,
        tx -> {
          Developer developer = registered(tx, caller, slug);
          if (developer.blocked()) {
            throw ApiFailure.forbidden(
                "Your access to this portal was blocked by its owner: "
                    + developer.blockedReason()
                    + ". Your apps are suspended and their keys are refused; ask the owner of"
                    + " this portal to unblock you.");
          }
          return work.apply(tx);
        });
  }

  /**
   * For what a registered developer may do even while blocked: read their own apps, keys, usage and
   * invoices, and give access up (revoke a key, cancel a subscription, delete an app). Nothing here
   * can make a key work.
   */
  public <T> T asRegistered(Caller caller, String slug, Function<TenantTx, T> work) {
    return inScope(
        tenantId(slug),
        caller,
        tx -> {
          registered(tx, caller, slug);
          return work.apply(tx);
        });
  }

  private Developer registered(TenantTx tx, Caller caller, String slug) {
    return portalStore
        .in(tx)
        .developer(caller.userId())
        .orElseThrow(
            () ->
                new ApiFailure(
                    ProblemKind.FORBIDDEN,
                    "You are not registered in this portal yet; register with PUT /v1/portal/"
                        + slug
                        + "/me first"));
  }

  private UUID tenantId(String slug) {
    if (slug == null || !slug.matches("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?")) {
      throw ApiFailure.notFound("Portal " + slug);
    }
    return slugs.activeTenant(slug).orElseThrow(() -> ApiFailure.notFound("Portal " + slug));
  }

  private <T> T inScope(UUID tenantId, Caller caller, Function<TenantTx, T> work) {
    return TenantTransactions.inTenant(
        app,
        tenantId,
        configuration -> {
          DSLContext tx = DSL.using(configuration);
          // Microseconds, as PostgreSQL stores them, so what is returned equals what is read back.
          Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
          return work.apply(
              new JooqTenantTx(
                  tx, tenantId, caller, Role.VIEWER, now, stores.openOn(tx, tenantId)));
        });
  }
}
