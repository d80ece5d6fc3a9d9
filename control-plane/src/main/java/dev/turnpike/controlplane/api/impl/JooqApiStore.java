package dev.turnpike.controlplane.api.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.APIS;
import static dev.turnpike.db.Tables.INTEGRATIONS;
import static dev.turnpike.db.Tables.ROUTES;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.IntegrationTlsConfig;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.db.ArrayRows;
import dev.turnpike.controlplane.db.Jsonb;
import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.db.tables.records.ApisRecord;
import dev.turnpike.db.tables.records.IntegrationsRecord;
import dev.turnpike.db.tables.records.RoutesRecord;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/** {@link ApiStore} on the apis, integrations and routes tables. */
public final class JooqApiStore implements ApiStore {
  private static final TypeReference<List<String>> CACHE_KEY_PARAMETERS = new TypeReference<>() {};
  private static final TypeReference<List<IntegrationResponse>> INTEGRATION_RESPONSES =
      new TypeReference<>() {};
  private static final TypeReference<Map<String, GatewayResponseConfig>> RESPONSES =
      new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  private final DSLContext tx;
  private final UUID tenantId;

  public JooqApiStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public void insertApi(Api api) {
    ApisRecord r = tx.newRecord(APIS);
    r.setId(api.id());
    r.setTenantId(tenantId);
    r.setSlug(api.slug());
    r.setCreatedAt(time(api.createdAt()));
    fill(r, api);
    try {
      r.insert();
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw ApiFailure.conflict("An API with the slug '" + api.slug() + "' exists");
      }
      throw e;
    }
  }

  private static void fill(ApisRecord r, Api api) {
    r.setName(api.name());
    r.setDescription(api.description());
    r.setApiKeySource(api.apiKeySource());
    r.setBinaryMediaTypes(api.binaryMediaTypes().toArray(String[]::new));
    r.setGatewayResponses(Jsonb.of(api.gatewayResponses()));
    r.setSourceIpPolicy(Jsonb.of(api.sourceIpPolicy()));
    r.setMinimumCompressionSize(api.minimumCompressionSize());
    r.setDecompressRequests(api.decompressRequests());
    r.setCorsConfiguration(Jsonb.of(api.corsConfiguration()));
    r.setUpdatedAt(time(api.updatedAt()));
  }

  @Override
  public Optional<Api> findApi(UUID apiId) {
    return tx.selectFrom(APIS)
        .where(APIS.TENANT_ID.eq(tenantId).and(APIS.ID.eq(apiId)))
        .fetchOptional(JooqApiStore::api);
  }

  @Override
  public Optional<Api> lockApi(UUID apiId) {
    return tx.selectFrom(APIS)
        .where(APIS.TENANT_ID.eq(tenantId).and(APIS.ID.eq(apiId)))
        .forUpdate()
        .fetchOptional(JooqApiStore::api);
  }

  @Override
  public List<Api> listApis() {
    return tx.selectFrom(APIS)
        .where(APIS.TENANT_ID.eq(tenantId))
        .orderBy(APIS.CREATED_AT, APIS.ID)
        .fetch(JooqApiStore::api);
  }

  @Override
  public void updateApi(Api api) {
    ApisRecord r =
        tx.selectFrom(APIS).where(APIS.TENANT_ID.eq(tenantId).and(APIS.ID.eq(api.id()))).fetchOne();
    if (r == null) {
      throw ApiFailure.notFound("API " + api.id());
    }
    fill(r, api);
    r.update();
  }

  @Override
  public int countApis() {
    return tx.fetchCount(APIS, APIS.TENANT_ID.eq(tenantId));
  }

  @Override
  public int countRoutes(UUID apiId) {
    return tx.fetchCount(ROUTES, ROUTES.TENANT_ID.eq(tenantId).and(ROUTES.API_ID.eq(apiId)));
  }

  @Override
  public int countIntegrations(UUID apiId) {
    return tx.fetchCount(
        INTEGRATIONS, INTEGRATIONS.TENANT_ID.eq(tenantId).and(INTEGRATIONS.API_ID.eq(apiId)));
  }

  @Override
  public void deleteApi(UUID apiId) {
    // Routes refer to integrations without a cascade; they go first.
    tx.deleteFrom(ROUTES)
        .where(ROUTES.TENANT_ID.eq(tenantId).and(ROUTES.API_ID.eq(apiId)))
        .execute();
    tx.deleteFrom(APIS).where(APIS.TENANT_ID.eq(tenantId).and(APIS.ID.eq(apiId))).execute();
  }

  static Api api(ApisRecord r) {
    return new Api(
        r.getId(),
        r.getSlug(),
        r.getName(),
        r.getDescription(),
        r.getApiKeySource(),
        Arrays.asList(r.getBinaryMediaTypes()),
        Jsonb.read(r.getGatewayResponses(), RESPONSES),
        Jsonb.read(r.getSourceIpPolicy(), SourceIpPolicy.class),
        r.getMinimumCompressionSize(),
        Boolean.TRUE.equals(r.getDecompressRequests()),
        Jsonb.read(r.getCorsConfiguration(), CorsConfiguration.class),
        instant(r.getCreatedAt()),
        instant(r.getUpdatedAt()));
  }

  @Override
  public void insertIntegration(Integration integration) {
    IntegrationsRecord r = tx.newRecord(INTEGRATIONS);
    r.setId(integration.id());
    r.setTenantId(tenantId);
    r.setApiId(integration.apiId());
    r.setCreatedAt(time(integration.createdAt()));
    fill(r, integration);
    r.insert();
  }

  private static void fill(IntegrationsRecord r, Integration integration) {
    r.setType(integration.type());
    r.setHttpMethod(integration.httpMethod());
    r.setUri(integration.uri());
    r.setConnectTimeoutMs(integration.connectTimeoutMillis());
    r.setTimeoutMs(integration.timeoutMillis());
    r.setRequestParameters(Jsonb.of(integration.requestParameters()));
    MockResponse mock = integration.mock();
    r.setMockStatus(mock == null ? null : mock.statusCode());
    r.setMockHeaders(Jsonb.of(mock == null ? Map.of() : mock.headers()));
    r.setMockBody(mock == null ? null : mock.body());
    r.setFunctionName(integration.function());
    r.setPayloadFormatVersion(integration.payloadFormatVersion());
    r.setRequestTemplates(Jsonb.of(integration.requestTemplates()));
    r.setPassthroughBehavior(passthrough(integration.passthroughBehavior()));
    r.setContentHandling(contentHandling(integration.contentHandling()));
    r.setIntegrationResponses(Jsonb.of(integration.integrationResponses()));
    r.setCacheKeyParameters(Jsonb.of(integration.cacheKeyParameters()));
    r.setTlsConfig(integration.tlsConfig() == null ? null : Jsonb.of(integration.tlsConfig()));
  }

  /** As the column spells it: API Gateway's export spelling, as the JSON names it. */
  private static String passthrough(PassthroughBehavior behavior) {
    return behavior == null ? null : behavior.name().toLowerCase(Locale.ROOT);
  }

  private static String contentHandling(ContentHandling handling) {
    return handling == null ? null : handling.name();
  }

  @Override
  public Optional<Integration> findIntegration(UUID apiId, UUID integrationId) {
    return tx.selectFrom(INTEGRATIONS)
        .where(INTEGRATIONS.TENANT_ID.eq(tenantId))
        .and(INTEGRATIONS.API_ID.eq(apiId))
        .and(INTEGRATIONS.ID.eq(integrationId))
        .fetchOptional(JooqApiStore::integration);
  }

  @Override
  public List<Integration> listIntegrations(UUID apiId) {
    return tx.selectFrom(INTEGRATIONS)
        .where(INTEGRATIONS.TENANT_ID.eq(tenantId).and(INTEGRATIONS.API_ID.eq(apiId)))
        .orderBy(INTEGRATIONS.CREATED_AT, INTEGRATIONS.ID)
        .fetch(JooqApiStore::integration);
  }

  @Override
  public void updateIntegration(Integration integration) {
    IntegrationsRecord r =
        tx.selectFrom(INTEGRATIONS)
            .where(INTEGRATIONS.TENANT_ID.eq(tenantId).and(INTEGRATIONS.ID.eq(integration.id())))
            .fetchOne();
    if (r == null) {
      throw ApiFailure.notFound("Integration " + integration.id());
    }
    fill(r, integration);
    r.update();
  }

  @Override
  public void deleteIntegration(UUID integrationId) {
    tx.deleteFrom(INTEGRATIONS)
        .where(INTEGRATIONS.TENANT_ID.eq(tenantId).and(INTEGRATIONS.ID.eq(integrationId)))
        .execute();
  }

  static Integration integration(IntegrationsRecord r) {
    return new Integration(
        r.getId(),
        r.getApiId(),
        r.getType(),
        r.getHttpMethod(),
        r.getUri(),
        r.getConnectTimeoutMs(),
        r.getTimeoutMs(),
        Jsonb.read(r.getRequestParameters(), STRINGS),
        r.getMockStatus() == null
            ? null
            : new MockResponse(
                r.getMockStatus(), Jsonb.read(r.getMockHeaders(), STRINGS), r.getMockBody()),
        instant(r.getCreatedAt()),
        r.getFunctionName(),
        r.getPayloadFormatVersion(),
        Jsonb.read(r.getRequestTemplates(), STRINGS),
        r.getPassthroughBehavior() == null
            ? null
            : PassthroughBehavior.valueOf(r.getPassthroughBehavior().toUpperCase(Locale.ROOT)),
        r.getContentHandling() == null ? null : ContentHandling.valueOf(r.getContentHandling()),
        Jsonb.read(r.getIntegrationResponses(), INTEGRATION_RESPONSES),
        r.getTlsConfig() == null ? null : Jsonb.read(r.getTlsConfig(), IntegrationTlsConfig.class),
        Jsonb.read(r.getCacheKeyParameters(), CACHE_KEY_PARAMETERS));
  }

  @Override
  public List<Route> routesUsing(UUID integrationId) {
    return tx.selectFrom(ROUTES)
        .where(ROUTES.TENANT_ID.eq(tenantId).and(ROUTES.INTEGRATION_ID.eq(integrationId)))
        .orderBy(ROUTES.RESOURCE_PATH, ROUTES.METHOD)
        .fetch(JooqApiStore::route);
  }

  @Override
  public void insertRoute(Route route) {
    RoutesRecord r = tx.newRecord(ROUTES);
    r.setId(route.id());
    r.setTenantId(tenantId);
    r.setApiId(route.apiId());
    r.setCreatedAt(time(route.createdAt()));
    fill(r, route);
    try {
      r.insert();
    } catch (DataAccessException e) {
      throw duplicateRoute(e, route);
    }
  }

  private static void fill(RoutesRecord r, Route route) {
    r.setMethod(route.method());
    r.setResourcePath(route.resourcePath());
    r.setApiKeyRequired(route.apiKeyRequired());
    r.setIntegrationId(route.integrationId());
    r.setAuthorizationType(route.authorizationType());
    r.setAuthorizerId(route.authorizerId());
    r.setAuthorizationScopes(route.authorizationScopes().toArray(String[]::new));
  }

  private static RuntimeException duplicateRoute(DataAccessException e, Route route) {
    if (SqlErrors.isUniqueViolation(e)) {
      return ApiFailure.conflict(
          "The API already has a route " + route.method() + " " + route.resourcePath());
    }
    return e;
  }

  @Override
  public Optional<Route> findRoute(UUID apiId, UUID routeId) {
    return tx.selectFrom(ROUTES)
        .where(ROUTES.TENANT_ID.eq(tenantId))
        .and(ROUTES.API_ID.eq(apiId))
        .and(ROUTES.ID.eq(routeId))
        .fetchOptional(JooqApiStore::route);
  }

  @Override
  public List<Route> listRoutes(UUID apiId) {
    return tx.selectFrom(ROUTES)
        .where(ROUTES.TENANT_ID.eq(tenantId).and(ROUTES.API_ID.eq(apiId)))
        .orderBy(ROUTES.RESOURCE_PATH, ROUTES.METHOD)
        .fetch(JooqApiStore::route);
  }

  @Override
  public void updateRoute(Route route) {
    RoutesRecord r =
        tx.selectFrom(ROUTES)
            .where(ROUTES.TENANT_ID.eq(tenantId).and(ROUTES.ID.eq(route.id())))
            .fetchOne();
    if (r == null) {
      throw ApiFailure.notFound("Route " + route.id());
    }
    fill(r, route);
    try {
      r.update();
    } catch (DataAccessException e) {
      throw duplicateRoute(e, route);
    }
  }

  @Override
  public void deleteRoute(UUID routeId) {
    tx.deleteFrom(ROUTES).where(ROUTES.TENANT_ID.eq(tenantId).and(ROUTES.ID.eq(routeId))).execute();
  }

  @Override
  public void insertIntegrations(List<Integration> integrations) {
    new ArrayRows<>(INTEGRATIONS)
        .constant(INTEGRATIONS.TENANT_ID, tenantId)
        .column(INTEGRATIONS.ID, column(integrations, Integration::id))
        .column(INTEGRATIONS.API_ID, column(integrations, Integration::apiId))
        .column(INTEGRATIONS.TYPE, column(integrations, Integration::type))
        .column(INTEGRATIONS.HTTP_METHOD, column(integrations, Integration::httpMethod))
        .column(INTEGRATIONS.URI, column(integrations, Integration::uri))
        .column(
            INTEGRATIONS.CONNECT_TIMEOUT_MS,
            column(integrations, Integration::connectTimeoutMillis))
        .column(INTEGRATIONS.TIMEOUT_MS, column(integrations, Integration::timeoutMillis))
        .column(
            INTEGRATIONS.REQUEST_PARAMETERS,
            column(integrations, i -> Json.write(i.requestParameters())))
        .column(
            INTEGRATIONS.MOCK_STATUS,
            column(integrations, i -> i.mock() == null ? null : i.mock().statusCode()))
        .column(
            INTEGRATIONS.MOCK_HEADERS,
            column(integrations, i -> Json.write(i.mock() == null ? Map.of() : i.mock().headers())))
        .column(
            INTEGRATIONS.MOCK_BODY,
            column(integrations, i -> i.mock() == null ? null : i.mock().body()))
        .column(INTEGRATIONS.FUNCTION_NAME, column(integrations, Integration::function))
        .column(
            INTEGRATIONS.PAYLOAD_FORMAT_VERSION,
            column(integrations, Integration::payloadFormatVersion))
        .column(
            INTEGRATIONS.REQUEST_TEMPLATES,
            column(integrations, i -> Json.write(i.requestTemplates())))
        .column(
            INTEGRATIONS.PASSTHROUGH_BEHAVIOR,
            column(integrations, i -> passthrough(i.passthroughBehavior())))
        .column(
            INTEGRATIONS.CONTENT_HANDLING,
            column(integrations, i -> contentHandling(i.contentHandling())))
        .column(
            INTEGRATIONS.INTEGRATION_RESPONSES,
            column(integrations, i -> Json.write(i.integrationResponses())))
        .column(
            INTEGRATIONS.TLS_CONFIG,
            column(integrations, i -> i.tlsConfig() == null ? null : Json.write(i.tlsConfig())))
        .column(
            INTEGRATIONS.CACHE_KEY_PARAMETERS,
            column(integrations, i -> Json.write(i.cacheKeyParameters())))
        .column(INTEGRATIONS.CREATED_AT, column(integrations, i -> time(i.createdAt()).toString()))
        .insert(tx);
  }

  /** One column's values, in the rows' order. */
  private static <T> Object[] column(List<T> rows, Function<T, Object> value) {
    Object[] values = new Object[rows.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = value.apply(rows.get(i));
    }
    return values;
  }

  @Override
  public void deleteIntegrations(Collection<UUID> integrationIds) {
    if (!integrationIds.isEmpty()) {
      tx.deleteFrom(INTEGRATIONS)
          .where(INTEGRATIONS.TENANT_ID.eq(tenantId))
          .and(INTEGRATIONS.ID.eq(DSL.any(integrationIds.toArray(UUID[]::new))))
          .execute();
    }
  }

  @Override
  public void insertRoutes(List<Route> routes) {
    new ArrayRows<>(ROUTES)
        .constant(ROUTES.TENANT_ID, tenantId)
        .column(ROUTES.ID, column(routes, Route::id))
        .column(ROUTES.API_ID, column(routes, Route::apiId))
        .column(ROUTES.METHOD, column(routes, Route::method))
        .column(ROUTES.RESOURCE_PATH, column(routes, Route::resourcePath))
        .column(ROUTES.API_KEY_REQUIRED, column(routes, Route::apiKeyRequired))
        .column(ROUTES.INTEGRATION_ID, column(routes, Route::integrationId))
        .column(ROUTES.AUTHORIZATION_TYPE, column(routes, Route::authorizationType))
        .column(ROUTES.AUTHORIZER_ID, column(routes, Route::authorizerId))
        .column(
            ROUTES.AUTHORIZATION_SCOPES,
            column(routes, r -> ArrayRows.textArray(r.authorizationScopes())))
        .column(ROUTES.CREATED_AT, column(routes, r -> time(r.createdAt()).toString()))
        .insert(tx);
  }

  @Override
  public void updateRoutes(List<Route> routes) {
    new ArrayRows<>(ROUTES)
        .column(ROUTES.ID, column(routes, Route::id))
        .column(ROUTES.METHOD, column(routes, Route::method))
        .column(ROUTES.RESOURCE_PATH, column(routes, Route::resourcePath))
        .column(ROUTES.API_KEY_REQUIRED, column(routes, Route::apiKeyRequired))
        .column(ROUTES.INTEGRATION_ID, column(routes, Route::integrationId))
        .column(ROUTES.AUTHORIZATION_TYPE, column(routes, Route::authorizationType))
        .column(ROUTES.AUTHORIZER_ID, column(routes, Route::authorizerId))
        .column(
            ROUTES.AUTHORIZATION_SCOPES,
            column(routes, r -> ArrayRows.textArray(r.authorizationScopes())))
        .update(tx, ROUTES.ID, ROUTES.TENANT_ID.eq(tenantId));
  }

  @Override
  public void deleteRoutes(Collection<UUID> routeIds) {
    if (!routeIds.isEmpty()) {
      tx.deleteFrom(ROUTES)
          .where(ROUTES.TENANT_ID.eq(tenantId))
          .and(ROUTES.ID.eq(DSL.any(routeIds.toArray(UUID[]::new))))
          .execute();
    }
  }

  static Route route(RoutesRecord r) {
    return new Route(
        r.getId(),
        r.getApiId(),
        r.getMethod(),
        r.getResourcePath(),
        r.getApiKeyRequired(),
        r.getIntegrationId(),
        instant(r.getCreatedAt()),
        r.getAuthorizationType(),
        r.getAuthorizerId(),
        Arrays.asList(r.getAuthorizationScopes()));
  }
}
