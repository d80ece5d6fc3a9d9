package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the OpenAPI feature keeps beside an API's rows, within one tenant-scoped transaction: the
 * document last imported and the routes' request validators.
 */
public interface OpenApiStore {
  Optional<JsonNode> document(UUID apiId);

  void saveDocument(UUID apiId, JsonNode document);

  /** The validators of the API's routes, by route id; routes without one are absent. */
  Map<UUID, RequestValidator> requestValidators(UUID apiId);

  /**
   * @param validator null to remove the route's validator
   */
  void setRequestValidator(UUID routeId, RequestValidator validator);

  /**
   * As {@link #setRequestValidator} for many routes in one round trip.
   *
   * @param validators by route id; a null value removes the route's validator
   */
  void setRequestValidators(Map<UUID, RequestValidator> validators);
}
