package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tenant.DeveloperCaps;
import dev.turnpike.controlplane.tenant.Member;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tenant.Tenant;
import dev.turnpike.controlplane.tenant.TenantStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** {@link TenantStore} on the in-memory database. */
final class MemoryTenantStore implements TenantStore {
  static final String TENANTS = "tenants";
  static final String MEMBERS = "tenant_members";
  static final String CAPS = "tenant_caps";

  /** A membership row. */
  record Membership(UUID tenantId, UUID userId, String role, Instant createdAt) {}

  private final MemoryDb.Tx tx;
  private final UUID tenantId;
  private final MemoryDb.Table<Tenant> tenants;
  private final MemoryDb.Table<Membership> members;

  MemoryTenantStore(MemoryDb.Tx tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
    this.tenants = tx.table(TENANTS, tenantId, Tenant.class);
    this.members = tx.table(MEMBERS, tenantId, Membership.class);
  }

  @Override
  public void insert(Tenant tenant) {
    // The slug's unique index spans every tenant.
    if (tx.everyTenant(TENANTS, Tenant.class).exists(t -> t.slug().equals(tenant.slug()))) {
      throw ApiFailure.conflict("The tenant slug '" + tenant.slug() + "' is taken");
    }
    tenants.put(tenant.id(), tenant);
  }

  @Override
  public Optional<Tenant> find(UUID id) {
    return tenants.get(id);
  }

  @Override
  public DeveloperCaps caps() {
    return tx.table(CAPS, tenantId, DeveloperCaps.class)
        .get(tenantId)
        .orElse(new DeveloperCaps(null, null));
  }

  @Override
  public void saveCaps(DeveloperCaps caps) {
    if (tenants.get(tenantId).isPresent()) {
      tx.table(CAPS, tenantId, DeveloperCaps.class).put(tenantId, caps);
    }
  }

  @Override
  public int lockAndCountOwnedBy(UUID userId) {
    // A user sees their own memberships in every tenant.
    return tx.everyTenant(MEMBERS, Membership.class)
        .count(m -> m.userId().equals(userId) && m.role().equals(Role.OWNER.dbValue()));
  }

  @Override
  public List<Member> members() {
    return members
        .where(
            m -> true,
            Comparator.comparing(Membership::createdAt).thenComparing(Membership::userId))
        .stream()
        .map(this::member)
        .toList();
  }

  @Override
  public Optional<Member> member(UUID userId) {
    return members.get(userId).map(this::member);
  }

  private Member member(Membership m) {
    MemoryUsers.User user = MemoryUsers.find(tx, m.userId()).orElseThrow();
    return new Member(m.userId(), user.email(), user.displayName(), m.role(), m.createdAt());
  }

  @Override
  public void putMember(UUID userId, Role role, Instant now) {
    Instant since = members.get(userId).map(Membership::createdAt).orElse(now);
    members.put(userId, new Membership(tenantId, userId, role.dbValue(), since));
  }

  @Override
  public void removeMember(UUID userId) {
    members.remove(userId);
  }

  @Override
  public boolean userExists(UUID userId) {
    return MemoryUsers.find(tx, userId).isPresent();
  }

  @Override
  public List<UUID> usersWithVerifiedEmail(String email) {
    return MemoryUsers.all(tx).stream()
        .filter(u -> u.emailVerified() && u.email() != null)
        .filter(u -> u.email().toLowerCase(Locale.ROOT).equals(email.toLowerCase(Locale.ROOT)))
        .sorted(Comparator.comparing(MemoryUsers.User::createdAt))
        .map(MemoryUsers.User::id)
        .toList();
  }
}
