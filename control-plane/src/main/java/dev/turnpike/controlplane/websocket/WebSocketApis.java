package dev.turnpike.controlplane.websocket;

import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import dev.turnpike.contracts.config.WebSocketRouteConfig;
import dev.turnpike.controlplane.function.InvokeUrlPolicy;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Use cases of an API's WebSocket definition: stating it makes the API a WebSocket API, whose
 * routes reach the gateway with its next deployment. The rules are the contract's ({@link
 * WebSocketApiConfig#problems()}), so what the control plane accepts is what a gateway node serves;
 * every http target is held to the egress policy as integration URIs are.
 */
public final class WebSocketApis {
  private final TxStore<WebSocketApiStore> store;
  private final InvokeUrlPolicy egress;

  public WebSocketApis(TxStore<WebSocketApiStore> store, InvokeUrlPolicy egress) {
    this.store = store;
    this.egress = egress;
  }

  /** Creates or replaces the API's WebSocket definition (an import of the export format). */
  public WebSocketApi put(TenantTx tx, UUID apiId, WebSocketApi in) {
    WebSocketApiStore apis = store.in(tx);
    if (!apis.lockApi(apiId)) {
      throw apiNotFound(apiId);
    }
    WebSocketApiConfig config = judge(tx, in == null ? null : in.config());
    WebSocketApi before = apis.find(apiId).orElse(null);
    WebSocketApi after =
        WebSocketApi.of(apiId, config, before == null ? tx.now() : before.createdAt(), tx.now());
    apis.put(after);
    tx.audit()
        .record(
            before == null ? "websocket.create" : "websocket.update", "api", apiId, before, after);
    return after;
  }

  /**
   * @throws ApiFailure 400 listing every problem
   */
  WebSocketApiConfig judge(TenantTx tx, WebSocketApiConfig in) {
    Validation v = new Validation();
    if (in == null) {
      v.add("", "must be a WebSocket API: {routeSelectionExpression, routes: [{routeKey, ...}]}");
      v.throwIfInvalid();
    }
    for (String problem : in.problems()) {
      int space = problem.indexOf(' ');
      v.add(space > 0 && problem.startsWith("/") ? problem.substring(0, space) : "", problem);
    }
    List<WebSocketRouteConfig> routes = in.routes();
    for (int i = 0; v.ok() && i < routes.size(); i++) {
      IntegrationConfig integration = routes.get(i).integration();
      if (integration != null
          && (integration.type() == IntegrationType.HTTP
              || integration.type() == IntegrationType.HTTP_PROXY)) {
        String refused = egress.problem(tx.tenantId(), integration.uri());
        if (refused != null) {
          v.add("/routes/" + i + "/integration/uri", refused);
        }
      }
    }
    v.throwIfInvalid();
    return in;
  }

  /** The definition (the export), 404 when the API is no WebSocket API. */
  public WebSocketApi get(TenantTx tx, UUID apiId) {
    WebSocketApiStore apis = store.in(tx);
    if (!apis.apiExists(apiId)) {
      throw apiNotFound(apiId);
    }
    return apis.find(apiId)
        .orElseThrow(() -> ApiFailure.notFound("WebSocket definition of API " + apiId));
  }

  /**
   * The definition when the API is a WebSocket API, empty when it is an HTTP API (for pages that
   * show either).
   */
  public Optional<WebSocketApi> find(TenantTx tx, UUID apiId) {
    WebSocketApiStore apis = store.in(tx);
    if (!apis.apiExists(apiId)) {
      throw apiNotFound(apiId);
    }
    return apis.find(apiId);
  }

  /** Makes the API an HTTP API again; deployed stages keep serving what they froze. */
  public void delete(TenantTx tx, UUID apiId) {
    WebSocketApiStore apis = store.in(tx);
    if (!apis.lockApi(apiId)) {
      throw apiNotFound(apiId);
    }
    WebSocketApi before =
        apis.find(apiId)
            .orElseThrow(() -> ApiFailure.notFound("WebSocket definition of API " + apiId));
    apis.delete(apiId);
    tx.audit().record("websocket.delete", "api", apiId, before, null);
  }

  private static ApiFailure apiNotFound(UUID apiId) {
    return ApiFailure.notFound("API " + apiId);
  }
}
