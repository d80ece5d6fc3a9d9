package dev.turnpike.controlplane.openapi.impl;

import static dev.turnpike.db.Tables.APIS;
import static dev.turnpike.db.Tables.ROUTES;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.controlplane.db.ArrayRows;
import dev.turnpike.controlplane.db.Jsonb;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.openapi.OpenApiStore;
import dev.turnpike.controlplane.openapi.RequestValidator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.JSONB;

/** {@link OpenApiStore} on apis.openapi_document and routes.request_validator. */
public final class JooqOpenApiStore implements OpenApiStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqOpenApiStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public Optional<JsonNode> document(UUID apiId) {
    JSONB stored =
        tx.select(APIS.OPENAPI_DOCUMENT)
            .from(APIS)
            .where(APIS.TENANT_ID.eq(tenantId).and(APIS.ID.eq(apiId)))
            .fetchOne(APIS.OPENAPI_DOCUMENT);
    return Optional.ofNullable(Jsonb.read(stored, JsonNode.class));
  }

  @Override
  public void saveDocument(UUID apiId, JsonNode document) {
    tx.update(APIS)
        .set(APIS.OPENAPI_DOCUMENT, Jsonb.of(document))
        .where(APIS.TENANT_ID.eq(tenantId).and(APIS.ID.eq(apiId)))
        .execute();
  }

  @Override
  public Map<UUID, RequestValidator> requestValidators(UUID apiId) {
    Map<UUID, RequestValidator> validators = new LinkedHashMap<>();
    tx.select(ROUTES.ID, ROUTES.REQUEST_VALIDATOR)
        .from(ROUTES)
        .where(ROUTES.TENANT_ID.eq(tenantId))
        .and(ROUTES.API_ID.eq(apiId))
        .and(ROUTES.REQUEST_VALIDATOR.isNotNull())
        .fetch()
        .forEach(r -> validators.put(r.value1(), Jsonb.read(r.value2(), RequestValidator.class)));
    return validators;
  }

  @Override
  public void setRequestValidator(UUID routeId, RequestValidator validator) {
    tx.update(ROUTES)
        .set(ROUTES.REQUEST_VALIDATOR, Jsonb.of(validator))
        .where(ROUTES.TENANT_ID.eq(tenantId).and(ROUTES.ID.eq(routeId)))
        .execute();
  }

  @Override
  public void setRequestValidators(Map<UUID, RequestValidator> validators) {
    new ArrayRows<>(ROUTES)
        .column(ROUTES.ID, validators.keySet().toArray())
        .column(
            ROUTES.REQUEST_VALIDATOR,
            validators.values().stream().map(v -> v == null ? null : Json.write(v)).toArray())
        .update(tx, ROUTES.ID, ROUTES.TENANT_ID.eq(tenantId));
  }
}
