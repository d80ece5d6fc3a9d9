package dev.turnpike.controlplane.tenant;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Use cases of tenants themselves: create one (the caller becomes its owner), read one. Anyone may
 * sign up and create tenants, so how many one person owns is capped.
 */
public final class Tenants {
  public static final Pattern SLUG = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$");
  public static final String SLUG_RULE =
      "must be 1 to 40 lower-case letters, digits or '-', not starting or ending with '-'";

  public record CreateTenant(String slug, String name) {}

  private final int maxOwnedPerUser;

  /**
   * @param maxOwnedPerUser how many tenants one user may own
   */
  private final TxStore<TenantStore> tenantStore;

  public Tenants(TxStore<TenantStore> tenantStore, int maxOwnedPerUser) {
    this.tenantStore = tenantStore;
    this.maxOwnedPerUser = maxOwnedPerUser;
  }

  public static UUID validate(CreateTenant input) {
    Validation v = new Validation();
    if (v.required("/slug", input.slug())) {
      v.matches("/slug", input.slug(), SLUG, SLUG_RULE);
      v.check(
          "/slug",
          input.slug(),
          slug -> !ReservedSlugs.isReserved(slug),
          "is reserved for the platform's own addresses; choose another");
    }
    if (v.required("/name", input.name())) {
      v.length("/name", input.name(), 1, 200);
    }
    v.throwIfInvalid();
    return UUID.randomUUID();
  }

  /** Runs in the scope of the new tenant's id (see {@code TenantTransactor#inNewTenant}). */
  public TenantView create(TenantTx tx, CreateTenant input) {
    Tenant tenant = new Tenant(tx.tenantId(), input.slug(), input.name(), "active", tx.now());
    TenantStore store = tenantStore.in(tx);
    int owned = store.lockAndCountOwnedBy(tx.caller().userId());
    if (owned >= maxOwnedPerUser) {
      throw ApiFailure.conflict(
          "One person may own at most "
              + maxOwnedPerUser
              + " organizations here, and you own "
              + owned
              + "; hand one to another owner or leave it to create another");
    }
    store.insert(tenant);
    store.putMember(tx.caller().userId(), Role.OWNER, tx.now());
    tx.audit().record("tenant.create", "tenant", tenant.id(), null, tenant);
    return TenantView.of(tenant, Role.OWNER);
  }

  public TenantView get(TenantTx tx) {
    return current(tx);
  }

  /** The transaction's tenant as the caller sees it. */
  public TenantView current(TenantTx tx) {
    Tenant tenant =
        tenantStore
            .in(tx)
            .find(tx.tenantId())
            .orElseThrow(() -> ApiFailure.notFound("Tenant " + tx.tenantId()));
    return TenantView.of(tenant, tx.role());
  }

  public List<TenantView> mine(TenantDirectory directory, UUID userId) {
    return directory.tenantsOf(userId);
  }
}
