package dev.turnpike.migrations;

import java.util.Objects;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.TransactionalCallable;
import org.jooq.impl.DSL;

/**
 * Runs work in a transaction scoped to one tenant, so PostgreSQL row-level security admits only
 * that tenant's rows. The setting is transaction-local ({@code set_config(.., true)}): a pooled
 * connection never carries one tenant's scope into the next borrower's work.
 */
public final class TenantTransactions {
  public static final String TENANT_SETTING = "turnpike.tenant_id";
  public static final String USER_SETTING = "turnpike.user_id";

  private TenantTransactions() {}

  public static <T> T inTenant(DSLContext dsl, UUID tenantId, TransactionalCallable<T> work) {
    return withSetting(dsl, TENANT_SETTING, Objects.requireNonNull(tenantId, "tenantId"), work);
  }

  /** For sign-in: the user may read their own memberships across tenants, nothing else. */
  public static <T> T asUser(DSLContext dsl, UUID userId, TransactionalCallable<T> work) {
    return withSetting(dsl, USER_SETTING, Objects.requireNonNull(userId, "userId"), work);
  }

  private static <T> T withSetting(
      DSLContext dsl, String setting, UUID value, TransactionalCallable<T> work) {
    return dsl.transactionResult(
        configuration -> {
          DSL.using(configuration)
              .select(
                  DSL.function(
                      "set_config",
                      String.class,
                      DSL.val(setting),
                      DSL.val(value.toString()),
                      DSL.inline(true)))
              .fetch();
          return work.run(configuration);
        });
  }
}
