package dev.turnpike.controlplane.websocket;

import java.util.Optional;
import java.util.UUID;

/** APIs' WebSocket definitions, within one tenant-scoped transaction. */
public interface WebSocketApiStore {
  boolean apiExists(UUID apiId);

  /**
   * Locks the API until the transaction ends, serializing changes to its definition.
   *
   * @return whether the tenant has this API
   */
  boolean lockApi(UUID apiId);

  Optional<WebSocketApi> find(UUID apiId);

  /** Inserts or replaces the API's definition. */
  void put(WebSocketApi api);

  void delete(UUID apiId);
}
