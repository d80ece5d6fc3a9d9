package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.ControlPlane;
import dev.turnpike.controlplane.ControlPlaneSettings;
import dev.turnpike.controlplane.alarm.AlarmStore;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.apikey.ApiKeyStore;
import dev.turnpike.controlplane.app.AppStore;
import dev.turnpike.controlplane.audit.AuditEntry;
import dev.turnpike.controlplane.audit.AuditStore;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.authorizer.AuthorizerStore;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.domain.DomainStore;
import dev.turnpike.controlplane.function.FunctionStore;
import dev.turnpike.controlplane.openapi.OpenApiStore;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.portal.PortalFeature;
import dev.turnpike.controlplane.portal.PortalStore;
import dev.turnpike.controlplane.standing.BillingStandings;
import dev.turnpike.controlplane.standing.StandingStore;
import dev.turnpike.controlplane.tenant.Access;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tenant.Tenant;
import dev.turnpike.controlplane.tenant.TenantDirectory;
import dev.turnpike.controlplane.tenant.TenantStore;
import dev.turnpike.controlplane.tenant.TenantView;
import dev.turnpike.controlplane.tenant.Tenants;
import dev.turnpike.controlplane.tx.Stores;
import dev.turnpike.controlplane.tx.TenantTransactor;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.upstream.UpstreamStore;
import dev.turnpike.controlplane.usage.UsageStore;
import dev.turnpike.controlplane.web.UseCases;
import dev.turnpike.controlplane.websocket.WebSocketApiStore;
import dev.turnpike.egress.MachineNetwork;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The control plane's real use cases, wired by {@link ControlPlane#useCases} on in-memory stores,
 * with transactions that admit callers by the same rule as {@link TenantTransactor}: the rules of
 * every use case, testable in milliseconds.
 */
public final class MemoryControlPlane {
  /** Names resolve to a public address, so integration targets pass the egress policy. */
  private static final MachineNetwork NETWORK =
      new MachineNetwork() {
        @Override
        public List<InetAddress> resolve(String host) {
          try {
            return List.of(
                InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14}));
          } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public Set<InetAddress> ownAddresses() {
          return Set.of();
        }
      };

  private final MemoryDb db = new MemoryDb();
  private final Stores<MemoryDb.Tx> stores = stores();
  private final UseCases useCases;
  private final PortalFeature.OwnerUseCases portal;
  // Each transaction a microsecond after the last, so creation order is an order.
  private Instant now = Instant.parse("2026-01-05T09:00:00Z");

  public MemoryControlPlane() {
    this(Map.of());
  }

  /**
   * @param env settings beside the minimal ones, as the control plane reads them from its
   *     environment
   */
  public MemoryControlPlane(Map<String, String> env) {
    this(env, NETWORK);
  }

  /**
   * @param network how names resolve, for use cases that resolve them (the egress policy, a
   *     domain's HTTP token)
   */
  public MemoryControlPlane(Map<String, String> env, MachineNetwork network) {
    Map<String, String> all = new HashMap<>(minimalEnvironment());
    all.putAll(env);
    this.useCases =
        ControlPlane.useCases(
            ControlPlaneSettings.fromEnvironment(all), stores, directory(), network);
    this.portal = PortalFeature.ownerUseCases(stores, useCases);
  }

  /** Every in-memory store, registered as the control plane registers the real ones. */
  public static Stores<MemoryDb.Tx> stores() {
    return new Stores<MemoryDb.Tx>()
        .register(TenantStore.class, MemoryTenantStore::new)
        .register(AuditStore.class, MemoryAudit::new)
        .register(ApiStore.class, MemoryApiStore::new)
        .register(DeploymentStore.class, MemoryDeploymentStore::new)
        .register(PlanStore.class, MemoryPlanStore::new)
        .register(AppStore.class, MemoryAppStore::new)
        .register(ApiKeyStore.class, MemoryApiKeyStore::new)
        .register(OpenApiStore.class, MemoryOpenApiStore::new)
        .register(FunctionStore.class, MemoryFunctionStore::new)
        .register(AuthorizerStore.class, MemoryAuthorizerStore::new)
        .register(UpstreamStore.class, MemoryUpstreamStore::new)
        .register(WebSocketApiStore.class, MemoryWebSocketApiStore::new)
        .register(DomainStore.class, MemoryDomainStore::new)
        .register(UsageStore.class, MemoryUsageStore::new)
        .register(PortalStore.class, MemoryPortalStore::new)
        .register(StandingStore.class, MemoryStandingStore::new)
        .register(AlarmStore.class, MemoryAlarmStore::new);
  }

  public static Map<String, String> minimalEnvironment() {
    return Map.of(
        "TURNPIKE_DB_URL", "jdbc:postgresql://db:5432/turnpike",
        "TURNPIKE_DB_OWNER_USER", "owner",
        "TURNPIKE_DB_OWNER_PASSWORD", "owner-secret",
        "TURNPIKE_DB_USER", "app",
        "TURNPIKE_DB_PASSWORD", "app-secret",
        "TURNPIKE_DB_SYSTEM_USER", "system",
        "TURNPIKE_DB_SYSTEM_PASSWORD", "system-secret",
        "TURNPIKE_CP_OIDC_ISSUER", "https://id.example.com/realms/turnpike",
        "TURNPIKE_CP_OIDC_AUDIENCE", "turnpike-api");
  }

  public UseCases useCases() {
    return useCases;
  }

  /** Billing's standing decisions as the standing consumer applies them, on these stores. */
  public BillingStandings billingStandings() {
    return BillingStandings.on(stores);
  }

  /** What the owner does with their developer portal. */
  public PortalFeature.OwnerUseCases portal() {
    return portal;
  }

  public MemoryDb db() {
    return db;
  }

  /** A signed-in person with a verified email address. */
  public Caller user(String email) {
    UUID id = UUID.randomUUID();
    Instant at = tick();
    db.transact(
        tx -> {
          MemoryUsers.add(tx, new MemoryUsers.User(id, email, email, true, at));
          return null;
        });
    return new Caller(id, "sub-" + id, email, email);
  }

  /** A new tenant owned by {@code owner}, created through the use case. */
  public UUID tenant(Caller owner, String slug) {
    UUID tenantId = UUID.randomUUID();
    inNewTenant(
        owner, tenantId, tx -> useCases.tenants().create(tx, new Tenants.CreateTenant(slug, slug)));
    return tenantId;
  }

  /** As {@link TenantTransactor#inTenant}. */
  public <T> T inTenant(Caller caller, UUID tenantId, Access access, Function<TenantTx, T> work) {
    Instant at = tick();
    return db.transact(
        tx -> {
          String role =
              tx.table(MemoryTenantStore.MEMBERS, tenantId, MemoryTenantStore.Membership.class)
                  .get(caller.userId())
                  .map(MemoryTenantStore.Membership::role)
                  .orElse(null);
          Role granted = TenantTransactor.admit(role, tenantId, access);
          return work.apply(open(tx, tenantId, caller, granted, at));
        });
  }

  /**
   * As the developer portal's transactions: the tenant's scope for someone who need not be a
   * member, with no management rights.
   */
  public <T> T inPortal(Caller caller, UUID tenantId, Function<TenantTx, T> work) {
    Instant at = tick();
    return db.transact(tx -> work.apply(open(tx, tenantId, caller, Role.VIEWER, at)));
  }

  /** As {@link TenantTransactor#inNewTenant}. */
  public <T> T inNewTenant(Caller caller, UUID tenantId, Function<TenantTx, T> work) {
    Instant at = tick();
    return db.transact(tx -> work.apply(open(tx, tenantId, caller, Role.OWNER, at)));
  }

  private MemoryTenantTx open(MemoryDb.Tx tx, UUID tenantId, Caller caller, Role role, Instant at) {
    return new MemoryTenantTx(tx, tenantId, caller, role, at, stores.openOn(tx, tenantId));
  }

  /** The clock's reading: the time the last transaction stamped. */
  public Instant now() {
    return now;
  }

  /** Moves the clock on, e.g. past a key's grace period. */
  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  private Instant tick() {
    now = now.plus(1, ChronoUnit.MICROS);
    return now;
  }

  /** The tenant's committed outbox records, oldest first. */
  public List<MemoryOutbox.Entry> outbox(UUID tenantId) {
    return db.read(
        tx ->
            tx.table(MemoryOutbox.TABLE, tenantId, MemoryOutbox.Entry.class)
                .where(e -> true, Comparator.comparingLong(MemoryOutbox.Entry::id)));
  }

  /** The tenant's committed audit entries, oldest first. */
  public List<AuditEntry> audit(UUID tenantId) {
    return db.read(
        tx ->
            tx.table(MemoryAudit.TABLE, tenantId, AuditEntry.class)
                .where(e -> true, Comparator.comparingLong(AuditEntry::id)));
  }

  /** Marks every outbox record sent, as the relay does once Kafka has them. */
  public void relay() {
    db.transact(
        tx -> {
          tx.everyTenant(MemoryOutbox.TABLE, MemoryOutbox.Entry.class)
              .update(e -> !e.sent(), MemoryOutbox.Entry::delivered);
          return null;
        });
  }

  private TenantDirectory directory() {
    return userId ->
        db.read(
            tx -> {
              List<TenantView> views = new ArrayList<>();
              tx.everyTenant(MemoryTenantStore.MEMBERS, MemoryTenantStore.Membership.class)
                  .where(
                      m -> m.userId().equals(userId),
                      Comparator.comparing(MemoryTenantStore.Membership::createdAt))
                  .forEach(
                      m ->
                          tx.table(MemoryTenantStore.TENANTS, m.tenantId(), Tenant.class)
                              .get(m.tenantId())
                              .ifPresent(t -> views.add(TenantView.of(t, Role.fromDb(m.role())))));
              return views;
            });
  }
}
