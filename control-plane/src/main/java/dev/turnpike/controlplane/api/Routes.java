package dev.turnpike.controlplane.api;

import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.authorizer.AuthorizerStore;
import dev.turnpike.controlplane.authorizer.RouteAuthorizationRules;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.UUID;

/** Use cases of an API's routes, checked against API Gateway's resource rules. */
public final class Routes {
  private final OwnerLimits limits;
  private final TxStore<ApiStore> apiStore;
  private final TxStore<AuthorizerStore> authorizerStore;

  public Routes(
      TxStore<ApiStore> apiStore, TxStore<AuthorizerStore> authorizerStore, OwnerLimits limits) {
    this.apiStore = apiStore;
    this.authorizerStore = authorizerStore;
    this.limits = limits;
  }

  /**
   * @param authorizationType NONE, JWT or CUSTOM; null for NONE, or for the type of the authorizer
   *     named
   * @param authorizerId the API's authorizer callers must pass, by id
   * @param authorizer the same by name, instead of {@code authorizerId}
   * @param authorizationScopes JWT only: a token must carry one of these
   */
  public record RouteInput(
      String method,
      String resourcePath,
      Boolean apiKeyRequired,
      UUID integrationId,
      String authorizationType,
      UUID authorizerId,
      String authorizer,
      List<String> authorizationScopes) {
    /** A method open to every caller (that may still require an API key). */
    public RouteInput(
        String method, String resourcePath, Boolean apiKeyRequired, UUID integrationId) {
      this(method, resourcePath, apiKeyRequired, integrationId, null, null, null, null);
    }
  }

  public Route create(TenantTx tx, UUID apiId, RouteInput in) {
    // The resource must exist before its input is judged: 404 comes before 400.
    apiStore.in(tx).findApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    validate(in);
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    Authorization authorization = checkAgainstApi(tx, store, apiId, null, in);
    limits.check(Limit.ROUTES_PER_API, store.countRoutes(apiId) + 1L, null);
    Route route =
        new Route(
                UUID.randomUUID(),
                apiId,
                in.method(),
                in.resourcePath(),
                Boolean.TRUE.equals(in.apiKeyRequired()),
                in.integrationId(),
                tx.now())
            .authorizedBy(
                authorization.type(), authorization.authorizerId(), authorization.scopes());
    store.insertRoute(route);
    tx.audit().record("route.create", "route", route.id(), null, route);
    return route;
  }

  public List<Route> list(TenantTx tx, UUID apiId) {
    ApiStore store = apiStore.in(tx);
    store.findApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    return store.listRoutes(apiId);
  }

  public Route get(TenantTx tx, UUID apiId, UUID routeId) {
    return apiStore.in(tx).findRoute(apiId, routeId).orElseThrow(() -> notFound(routeId));
  }

  public Route update(TenantTx tx, UUID apiId, UUID routeId, RouteInput in) {
    get(
        tx, apiId,
        routeId); // The resource must exist before its input is judged: 404 comes before 400.
    validate(in);
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    Route before = store.findRoute(apiId, routeId).orElseThrow(() -> notFound(routeId));
    Authorization authorization = checkAgainstApi(tx, store, apiId, routeId, in);
    Route after =
        new Route(
                routeId,
                apiId,
                in.method(),
                in.resourcePath(),
                Boolean.TRUE.equals(in.apiKeyRequired()),
                in.integrationId(),
                before.createdAt())
            .authorizedBy(
                authorization.type(), authorization.authorizerId(), authorization.scopes());
    store.updateRoute(after);
    tx.audit().record("route.update", "route", routeId, before, after);
    return after;
  }

  public void delete(TenantTx tx, UUID apiId, UUID routeId) {
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    Route before = store.findRoute(apiId, routeId).orElseThrow(() -> notFound(routeId));
    store.deleteRoute(routeId);
    tx.audit().record("route.delete", "route", routeId, before, null);
  }

  private static ApiFailure notFound(UUID routeId) {
    return ApiFailure.notFound("Route " + routeId);
  }

  private static void validate(RouteInput in) {
    Validation v = new Validation();
    if (v.required("/method", in.method())) {
      v.check("/method", in.method(), HttpMethods.ROUTE_METHODS::contains, HttpMethods.RULE);
    }
    if (v.required("/resourcePath", in.resourcePath())) {
      try {
        ResourcePath.parse(in.resourcePath());
      } catch (IllegalArgumentException e) {
        v.add("/resourcePath", e.getMessage());
      }
    }
    v.required("/integrationId", in.integrationId());
    String type = in.authorizationType();
    if (type != null && !RouteAuthorizationRules.TYPES.contains(type)) {
      v.add("/authorizationType", "must be NONE, JWT or CUSTOM");
    }
    if (RouteAuthorizationRules.NONE.equals(type)) {
      v.forbidden("/authorizerId", in.authorizerId(), "is not used when authorizationType is NONE");
      v.forbidden("/authorizer", in.authorizer(), "is not used when authorizationType is NONE");
    } else if (type != null && in.authorizerId() == null && in.authorizer() == null) {
      v.add("/authorizerId", "is required for authorizationType " + type);
    }
    if (in.authorizerId() != null && in.authorizer() != null) {
      v.add("/authorizer", "name the authorizer by authorizerId or by authorizer, not both");
    }
    v.throwIfInvalid();
  }

  /** What a route's authorization resolves to against the API's authorizers. */
  private record Authorization(String type, UUID authorizerId, List<String> scopes) {}

  private Authorization checkAgainstApi(
      TenantTx tx, ApiStore store, UUID apiId, UUID routeId, RouteInput in) {
    Validation v = new Validation();
    Authorization authorization = authorization(tx, apiId, in, v);
    if (store.findIntegration(apiId, in.integrationId()).isEmpty()) {
      v.add("/integrationId", "is not an integration of this API");
    }
    List<String> otherPaths =
        store.listRoutes(apiId).stream()
            .filter(r -> !r.id().equals(routeId))
            .map(Route::resourcePath)
            .distinct()
            .toList();
    String conflict = ResourcePath.conflict(in.resourcePath(), otherPaths);
    if (conflict != null) {
      v.add("/resourcePath", conflict);
    }
    v.throwIfInvalid();
    return authorization;
  }

  /**
   * The authorizer a route names must be one of its own API's (an id of another API's or another
   * tenant's is simply not found there), and of a type that fits the authorization type.
   */
  private Authorization authorization(TenantTx tx, UUID apiId, RouteInput in, Validation v) {
    if (in.authorizerId() == null && in.authorizer() == null) {
      List<String> scopes = in.authorizationScopes();
      RouteAuthorizationRules.checkScopes(
          RouteAuthorizationRules.NONE, scopes, (field, message) -> v.add("/" + field, message));
      return new Authorization(RouteAuthorizationRules.NONE, null, List.of());
    }
    AuthorizerStore authorizers = authorizerStore.in(tx);
    Authorizer authorizer =
        in.authorizerId() != null
            ? authorizers.findById(apiId, in.authorizerId()).orElse(null)
            : authorizers.find(apiId, in.authorizer()).orElse(null);
    String field = in.authorizerId() != null ? "/authorizerId" : "/authorizer";
    if (authorizer == null) {
      v.add(field, "is not an authorizer of this API");
      return new Authorization(RouteAuthorizationRules.NONE, null, List.of());
    }
    String fits = authorizer.spec().authorizationType();
    String type = in.authorizationType() == null ? fits : in.authorizationType();
    if (!type.equals(fits)) {
      v.add(
          "/authorizationType",
          "must be "
              + fits
              + " for authorizer "
              + authorizer.name()
              + " (a "
              + authorizer.spec().type()
              + " authorizer)");
    }
    RouteAuthorizationRules.checkScopes(
        type, in.authorizationScopes(), (f, message) -> v.add("/" + f, message));
    return new Authorization(
        type,
        authorizer.id(),
        in.authorizationScopes() == null ? List.of() : in.authorizationScopes());
  }
}
