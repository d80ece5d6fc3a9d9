package dev.turnpike.controlplane.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.openapi.OpenApiStore;
import dev.turnpike.controlplane.openapi.RequestValidator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link OpenApiStore} on the in-memory database. The document lives with its API and a validator
 * with its route, as the columns do, so each goes when its row goes.
 */
final class MemoryOpenApiStore implements OpenApiStore {
  static final String DOCUMENTS = "openapi_documents";
  static final String VALIDATORS = "request_validators";

  private final MemoryDb.Table<JsonNode> documents;
  private final MemoryDb.Table<RequestValidator> validators;
  private final MemoryDb.Table<Api> apis;
  private final MemoryDb.Table<Route> routes;

  MemoryOpenApiStore(MemoryDb.Tx tx, UUID tenantId) {
    this.documents = tx.table(DOCUMENTS, tenantId, JsonNode.class);
    this.validators = tx.table(VALIDATORS, tenantId, RequestValidator.class);
    this.apis = tx.table(MemoryApiStore.APIS, tenantId, Api.class);
    this.routes = tx.table(MemoryApiStore.ROUTES, tenantId, Route.class);
  }

  @Override
  public Optional<JsonNode> document(UUID apiId) {
    return apis.get(apiId).flatMap(a -> documents.get(apiId));
  }

  @Override
  public void saveDocument(UUID apiId, JsonNode document) {
    if (apis.get(apiId).isPresent()) {
      documents.put(apiId, document);
    }
  }

  @Override
  public Map<UUID, RequestValidator> requestValidators(UUID apiId) {
    Map<UUID, RequestValidator> result = new LinkedHashMap<>();
    for (Route route : routes.where(r -> r.apiId().equals(apiId))) {
      validators.get(route.id()).ifPresent(v -> result.put(route.id(), v));
    }
    return result;
  }

  @Override
  public void setRequestValidator(UUID routeId, RequestValidator validator) {
    validators.remove(routeId);
    if (validator != null && routes.get(routeId).isPresent()) {
      validators.put(routeId, validator);
    }
  }

  @Override
  public void setRequestValidators(Map<UUID, RequestValidator> byRoute) {
    byRoute.forEach(this::setRequestValidator);
  }
}
