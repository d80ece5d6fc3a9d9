package dev.turnpike.controlplane.websocket.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.WEBSOCKET_APIS;

import dev.turnpike.contracts.config.WebSocketApiConfig;
import dev.turnpike.controlplane.db.Jsonb;
import dev.turnpike.controlplane.db.TenantApis;
import dev.turnpike.controlplane.websocket.WebSocketApi;
import dev.turnpike.controlplane.websocket.WebSocketApiStore;
import dev.turnpike.db.tables.records.WebsocketApisRecord;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/** {@link WebSocketApiStore} on the websocket_apis table. */
public final class JooqWebSocketApiStore implements WebSocketApiStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqWebSocketApiStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public boolean apiExists(UUID apiId) {
    return TenantApis.exists(tx, tenantId, apiId);
  }

  @Override
  public boolean lockApi(UUID apiId) {
    return TenantApis.lock(tx, tenantId, apiId);
  }

  @Override
  public Optional<WebSocketApi> find(UUID apiId) {
    return tx.selectFrom(WEBSOCKET_APIS)
        .where(WEBSOCKET_APIS.TENANT_ID.eq(tenantId).and(WEBSOCKET_APIS.API_ID.eq(apiId)))
        .fetchOptional(JooqWebSocketApiStore::api);
  }

  @Override
  public void put(WebSocketApi api) {
    WebsocketApisRecord r =
        tx.selectFrom(WEBSOCKET_APIS)
            .where(WEBSOCKET_APIS.TENANT_ID.eq(tenantId).and(WEBSOCKET_APIS.API_ID.eq(api.apiId())))
            .fetchOptional()
            .orElse(null);
    boolean created = r == null;
    if (created) {
      r = tx.newRecord(WEBSOCKET_APIS);
      r.setTenantId(tenantId);
      r.setApiId(api.apiId());
      r.setCreatedAt(time(api.createdAt()));
    }
    r.setDefinition(Jsonb.of(api.config()));
    r.setUpdatedAt(time(api.updatedAt()));
    if (created) {
      r.insert();
    } else {
      r.update();
    }
  }

  @Override
  public void delete(UUID apiId) {
    tx.deleteFrom(WEBSOCKET_APIS)
        .where(WEBSOCKET_APIS.TENANT_ID.eq(tenantId).and(WEBSOCKET_APIS.API_ID.eq(apiId)))
        .execute();
  }

  private static WebSocketApi api(WebsocketApisRecord r) {
    WebSocketApiConfig config = Jsonb.read(r.getDefinition(), WebSocketApiConfig.class);
    return WebSocketApi.of(
        r.getApiId(), config, instant(r.getCreatedAt()), instant(r.getUpdatedAt()));
  }
}
