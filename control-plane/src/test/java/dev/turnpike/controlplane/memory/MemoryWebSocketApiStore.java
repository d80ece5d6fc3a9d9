package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.websocket.WebSocketApi;
import dev.turnpike.controlplane.websocket.WebSocketApiStore;
import java.util.Optional;
import java.util.UUID;

/** {@link WebSocketApiStore} on the in-memory database: one definition per API. */
final class MemoryWebSocketApiStore implements WebSocketApiStore {
  static final String WEBSOCKET_APIS = "websocket_apis";

  private final MemoryDb.Table<WebSocketApi> definitions;
  private final MemoryDb.Table<Api> apis;

  MemoryWebSocketApiStore(MemoryDb.Tx tx, UUID tenantId) {
    this.definitions = tx.table(WEBSOCKET_APIS, tenantId, WebSocketApi.class);
    this.apis = tx.table(MemoryApiStore.APIS, tenantId, Api.class);
  }

  @Override
  public boolean apiExists(UUID apiId) {
    return apis.get(apiId).isPresent();
  }

  @Override
  public boolean lockApi(UUID apiId) {
    return apiExists(apiId);
  }

  @Override
  public Optional<WebSocketApi> find(UUID apiId) {
    return definitions.get(apiId);
  }

  @Override
  public void put(WebSocketApi api) {
    if (!apiExists(api.apiId())) {
      throw new IllegalStateException("no API " + api.apiId() + " (foreign key)");
    }
    definitions.put(api.apiId(), api);
  }

  @Override
  public void delete(UUID apiId) {
    definitions.remove(apiId);
  }
}
