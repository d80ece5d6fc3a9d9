package dev.turnpike.controlplane.db;

import static dev.turnpike.db.Tables.APIS;

import java.util.UUID;
import org.jooq.DSLContext;

/**
 * The two questions every store of an API's sub-resources (authorizers, upstreams, alarms, a
 * WebSocket definition) asks about the API itself, asked one way: is it the tenant's, and lock it
 * so concurrent changes to its sub-resources apply one after the other. Both name the tenant, so an
 * API id from another tenant is "not there", never "someone else's".
 */
public final class TenantApis {
  private TenantApis() {}

  /** Whether the tenant has that API. */
  public static boolean exists(DSLContext tx, UUID tenantId, UUID apiId) {
    return tx.fetchExists(APIS, APIS.TENANT_ID.eq(tenantId).and(APIS.ID.eq(apiId)));
  }

  /**
   * Locks the tenant's API row until the transaction ends.
   *
   * @return false when the tenant has no such API
   */
  public static boolean lock(DSLContext tx, UUID tenantId, UUID apiId) {
    return tx.select(APIS.ID)
        .from(APIS)
        .where(APIS.TENANT_ID.eq(tenantId).and(APIS.ID.eq(apiId)))
        .forUpdate()
        .fetchOptional()
        .isPresent();
  }
}
