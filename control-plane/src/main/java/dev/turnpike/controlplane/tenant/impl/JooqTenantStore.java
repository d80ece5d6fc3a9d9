package dev.turnpike.controlplane.tenant.impl;

import static dev.turnpike.db.Tables.TENANTS;
import static dev.turnpike.db.Tables.TENANT_MEMBERS;
import static dev.turnpike.db.Tables.USERS;

import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tenant.DeveloperCaps;
import dev.turnpike.controlplane.tenant.Member;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tenant.Tenant;
import dev.turnpike.controlplane.tenant.TenantStore;
import dev.turnpike.migrations.TenantTransactions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/** {@link TenantStore} on the tenants, tenant_members and users tables. */
public final class JooqTenantStore implements TenantStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqTenantStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public void insert(Tenant tenant) {
    try {
      tx.insertInto(TENANTS)
          .set(TENANTS.ID, tenant.id())
          .set(TENANTS.SLUG, tenant.slug())
          .set(TENANTS.NAME, tenant.name())
          .set(TENANTS.STATUS, tenant.status())
          .set(TENANTS.CREATED_AT, tenant.createdAt().atOffset(ZoneOffset.UTC))
          .execute();
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw ApiFailure.conflict("The tenant slug '" + tenant.slug() + "' is taken");
      }
      throw e;
    }
  }

  @Override
  public Optional<Tenant> find(UUID tenantId) {
    return tx.selectFrom(TENANTS)
        .where(TENANTS.ID.eq(tenantId))
        .fetchOptional(
            r ->
                new Tenant(
                    r.getId(),
                    r.getSlug(),
                    r.getName(),
                    r.getStatus(),
                    r.getCreatedAt().toInstant()));
  }

  @Override
  public DeveloperCaps caps() {
    return tx.select(TENANTS.MAX_KEYS_PER_APP, TENANTS.MAX_APPS_PER_DEVELOPER)
        .from(TENANTS)
        .where(TENANTS.ID.eq(tenantId))
        .fetchOptional(r -> new DeveloperCaps(r.value1(), r.value2()))
        .orElse(new DeveloperCaps(null, null));
  }

  @Override
  public void saveCaps(DeveloperCaps caps) {
    tx.update(TENANTS)
        .set(TENANTS.MAX_KEYS_PER_APP, caps.keysPerApp())
        .set(TENANTS.MAX_APPS_PER_DEVELOPER, caps.appsPerDeveloper())
        .where(TENANTS.ID.eq(tenantId))
        .execute();
  }

  @Override
  public int lockAndCountOwnedBy(UUID userId) {
    tx.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "tenant-create:" + userId);
    // The user's own memberships in every tenant are the only cross-tenant rows row-level security
    // shows; the user scope lasts until this transaction ends.
    tx.execute("SELECT set_config(?, ?, true)", TenantTransactions.USER_SETTING, userId.toString());
    return tx.fetchCount(
        TENANT_MEMBERS,
        TENANT_MEMBERS.USER_ID.eq(userId).and(TENANT_MEMBERS.ROLE.eq(Role.OWNER.dbValue())));
  }

  @Override
  public List<Member> members() {
    return memberQuery()
        .orderBy(TENANT_MEMBERS.CREATED_AT, TENANT_MEMBERS.USER_ID)
        .fetch(JooqTenantStore::member);
  }

  @Override
  public Optional<Member> member(UUID userId) {
    return memberQuery()
        .and(TENANT_MEMBERS.USER_ID.eq(userId))
        .fetchOptional(JooqTenantStore::member);
  }

  private org.jooq.SelectConditionStep<Record> memberQuery() {
    return tx.select(TENANT_MEMBERS.fields())
        .select(USERS.EMAIL, USERS.DISPLAY_NAME)
        .from(TENANT_MEMBERS)
        .join(USERS)
        .on(USERS.ID.eq(TENANT_MEMBERS.USER_ID))
        .where(TENANT_MEMBERS.TENANT_ID.eq(tenantId));
  }

  private static Member member(Record r) {
    return new Member(
        r.get(TENANT_MEMBERS.USER_ID),
        r.get(USERS.EMAIL),
        r.get(USERS.DISPLAY_NAME),
        r.get(TENANT_MEMBERS.ROLE),
        r.get(TENANT_MEMBERS.CREATED_AT).toInstant());
  }

  @Override
  public void putMember(UUID userId, Role role, Instant now) {
    tx.insertInto(TENANT_MEMBERS)
        .set(TENANT_MEMBERS.TENANT_ID, tenantId)
        .set(TENANT_MEMBERS.USER_ID, userId)
        .set(TENANT_MEMBERS.ROLE, role.dbValue())
        .set(TENANT_MEMBERS.CREATED_AT, now.atOffset(ZoneOffset.UTC))
        .onConflict(TENANT_MEMBERS.TENANT_ID, TENANT_MEMBERS.USER_ID)
        .doUpdate()
        .set(TENANT_MEMBERS.ROLE, role.dbValue())
        .execute();
  }

  @Override
  public void removeMember(UUID userId) {
    tx.deleteFrom(TENANT_MEMBERS)
        .where(TENANT_MEMBERS.TENANT_ID.eq(tenantId))
        .and(TENANT_MEMBERS.USER_ID.eq(userId))
        .execute();
  }

  @Override
  public boolean userExists(UUID userId) {
    return tx.fetchExists(USERS, USERS.ID.eq(userId));
  }

  @Override
  public List<UUID> usersWithVerifiedEmail(String email) {
    return tx.select(USERS.ID)
        .from(USERS)
        .where(DSL.lower(USERS.EMAIL).eq(email.toLowerCase(Locale.ROOT)))
        .and(USERS.EMAIL_VERIFIED.isTrue())
        .orderBy(USERS.CREATED_AT)
        .fetch(USERS.ID);
  }
}
