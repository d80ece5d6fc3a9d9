package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.RequestValidation;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import dev.turnpike.contracts.config.WebSocketRouteConfig;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.authorizer.AuthorizerStore;
import dev.turnpike.controlplane.function.FunctionTargets;
import dev.turnpike.controlplane.openapi.OpenApiStore;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import dev.turnpike.controlplane.upstream.Upstream;
import dev.turnpike.controlplane.upstream.UpstreamStore;
import dev.turnpike.controlplane.websocket.WebSocketApi;
import dev.turnpike.controlplane.websocket.WebSocketApiStore;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Deploying freezes the API definition into an immutable deployment and points a stage at it; a
 * rollback points the stage at an earlier deployment. Either way the stage's snapshot is published
 * to the gateway in the same transaction.
 */
public final class Deployments {
  public record CreateDeployment(UUID stageId, String description) {}

  public record Rollback(UUID deploymentId) {}

  private final StagePublisher publisher;
  private final TxStore<ApiStore> apiStore;
  private final TxStore<DeploymentStore> deploymentStore;
  private final TxStore<OpenApiStore> openApiStore;
  private final FunctionTargets functions;
  private final TxStore<AuthorizerStore> authorizerStore;
  private final TxStore<UpstreamStore> upstreamStore;
  private final TxStore<WebSocketApiStore> webSocketStore;

  public Deployments(
      TxStore<ApiStore> apiStore,
      TxStore<DeploymentStore> deploymentStore,
      TxStore<OpenApiStore> openApiStore,
      TxStore<AuthorizerStore> authorizerStore,
      StagePublisher publisher,
      FunctionTargets functions,
      TxStore<UpstreamStore> upstreamStore,
      TxStore<WebSocketApiStore> webSocketStore) {
    this.webSocketStore = webSocketStore;
    this.upstreamStore = upstreamStore;
    this.apiStore = apiStore;
    this.authorizerStore = authorizerStore;
    this.deploymentStore = deploymentStore;
    this.openApiStore = openApiStore;
    this.publisher = publisher;
    this.functions = functions;
  }

  public DeploymentDetail create(TenantTx tx, UUID apiId, CreateDeployment in) {
    // The resource must exist before its input is judged: 404 comes before 400.
    apiStore.in(tx).findApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    Validation v = new Validation();
    v.required("/stageId", in.stageId());
    v.length("/description", in.description(), 0, 4000);
    v.throwIfInvalid();
    ApiStore apis = apiStore.in(tx);
    // The API lock keeps route and integration changes out while the definition is read.
    Api api = apis.lockApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    DeploymentStore store = deploymentStore.in(tx);
    Stage stage =
        store
            .lockStage(apiId, in.stageId())
            .orElseThrow(() -> ApiFailure.invalid("/stageId", "is not a stage of this API"));
    var routes = apis.listRoutes(apiId);
    WebSocketApiConfig webSocket =
        webSocketStore.in(tx).find(apiId).map(WebSocketApi::config).orElse(null);
    if (routes.isEmpty() && webSocket == null) {
      throw ApiFailure.conflict("The API has no routes; add one before deploying");
    }
    List<Integration> integrations = apis.listIntegrations(apiId);
    List<Authorizer> authorizers = authorizerStore.in(tx).list(apiId);
    // Integrations' and authorizers' functions resolve together, so one refusal names them all.
    Map<UUID, FunctionTargets.Use> uses = new HashMap<>(functionUses(integrations, routes));
    uses.putAll(functionUses(authorizers));
    Map<UUID, String> webSocketUses = webSocketFunctionUses(webSocket, uses);
    Map<UUID, FunctionTarget> targets =
        functions.resolve(tx, uses, stage.name(), stage.variables());
    List<UpstreamConfig> upstreams =
        upstreamStore.in(tx).list(apiId).stream().map(Upstream::config).toList();
    checkUpstreamsNamed(integrations, routes, upstreams);
    DefinitionFreezer.Frozen frozen =
        DefinitionFreezer.freeze(
            api, integrations, routes, gatewayChecks(tx, apiId), targets, authorizers, upstreams);
    if (webSocket != null) {
      frozen = DefinitionFreezer.withWebSocket(frozen, resolved(webSocket, webSocketUses, targets));
    }
    Deployment deployment =
        new Deployment(
            UUID.randomUUID(),
            apiId,
            in.description(),
            frozen.hash(),
            tx.caller().userId(),
            tx.now(),
            Delivery.PENDING);
    store.insertDeployment(deployment, frozen.canonicalJson());
    Stage pointed = stage.pointedAt(deployment.id(), tx.now());
    store.updateStage(pointed);
    publisher.publish(tx, pointed);
    tx.audit().record("deployment.create", "deployment", deployment.id(), null, deployment);
    tx.audit().record("stage.deploy", "stage", stage.id(), stage, pointed);
    return detail(deployment, List.of(stage.name()), frozen.definition());
  }

  public List<Deployment> list(TenantTx tx, UUID apiId) {
    apiStore.in(tx).findApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    return deploymentStore.in(tx).listDeployments(apiId);
  }

  public DeploymentDetail get(TenantTx tx, UUID apiId, UUID deploymentId) {
    DeploymentStore store = deploymentStore.in(tx);
    Deployment deployment =
        store.findDeployment(apiId, deploymentId).orElseThrow(() -> notFound(deploymentId));
    List<String> stages =
        store.listStages(apiId).stream()
            .filter(s -> deploymentId.equals(s.deploymentId()))
            .map(Stage::name)
            .toList();
    return detail(deployment, stages, store.definition(deploymentId).orElseThrow());
  }

  public Stage rollback(TenantTx tx, UUID apiId, UUID stageId, Rollback in) {
    // The resource must exist before its input is judged: 404 comes before 400.
    deploymentStore.in(tx).findStage(apiId, stageId).orElseThrow(() -> Stages.notFound(stageId));
    Validation v = new Validation();
    v.required("/deploymentId", in.deploymentId());
    v.throwIfInvalid();
    DeploymentStore store = deploymentStore.in(tx);
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> Stages.notFound(stageId));
    Deployment target =
        store
            .findDeployment(apiId, in.deploymentId())
            .orElseThrow(
                () -> ApiFailure.invalid("/deploymentId", "is not a deployment of this API"));
    Stage after = before.pointedAt(target.id(), tx.now());
    store.updateStage(after);
    publisher.publish(tx, after);
    tx.audit().record("stage.rollback", "stage", stageId, before, after);
    return after;
  }

  private static ApiFailure notFound(UUID deploymentId) {
    return ApiFailure.notFound("Deployment " + deploymentId);
  }

  private static DeploymentDetail detail(Deployment d, List<String> stages, FrozenApi definition) {
    return new DeploymentDetail(
        d.id(),
        d.apiId(),
        d.description(),
        d.hash(),
        d.createdBy(),
        d.createdAt(),
        d.delivery(),
        stages,
        definition);
  }

  /** The aws_proxy integrations the routes use, with the routes that use each. */
  private static Map<UUID, FunctionTargets.Use> functionUses(
      List<Integration> integrations, List<Route> routes) {
    Map<UUID, List<String>> usedBy = new HashMap<>();
    routes.forEach(
        r ->
            usedBy
                .computeIfAbsent(r.integrationId(), id -> new java.util.ArrayList<>())
                .add(r.method() + " " + r.resourcePath()));
    Map<UUID, FunctionTargets.Use> uses = new HashMap<>();
    for (Integration i : integrations) {
      if (i.function() != null && usedBy.containsKey(i.id())) {
        uses.put(
            i.id(),
            new FunctionTargets.Use(
                i.function(), i.timeoutMillis(), i.payloadFormatVersion(), usedBy.get(i.id())));
      }
    }
    return uses;
  }

  /**
   * Every upstream a routed integration names must exist: a deployment with an integration pointing
   * at nothing would answer 500 on the gateway. 409 naming them all.
   */
  private static void checkUpstreamsNamed(
      List<Integration> integrations, List<Route> routes, List<UpstreamConfig> upstreams) {
    Set<UUID> routed = new HashSet<>();
    routes.forEach(route -> routed.add(route.integrationId()));
    Set<String> known = new HashSet<>();
    upstreams.forEach(upstream -> known.add(upstream.name()));
    Set<String> missing = new TreeSet<>();
    for (Integration integration : integrations) {
      String name = UpstreamConfig.nameIn(integration.uri());
      if (name != null && routed.contains(integration.id()) && !known.contains(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw ApiFailure.conflict(
          "Integrations name upstreams the API does not have: "
              + String.join(", ", missing)
              + "; create them (PUT .../upstreams/{name}) or change the integrations first");
    }
  }

  /**
   * The functions a WebSocket API's aws_proxy routes name, resolved with the integrations' (one
   * refusal names them all): added to {@code uses} under an id of each route's own.
   *
   * @return route key by the id its function is resolved under
   */
  private static Map<UUID, String> webSocketFunctionUses(
      WebSocketApiConfig webSocket, Map<UUID, FunctionTargets.Use> uses) {
    Map<UUID, String> routeKeys = new HashMap<>();
    if (webSocket == null) {
      return routeKeys;
    }
    for (WebSocketRouteConfig route : webSocket.routes()) {
      IntegrationConfig integration = route.integration();
      if (integration == null || integration.function() == null) {
        continue;
      }
      UUID id =
          UUID.nameUUIDFromBytes(
              ("websocket route " + route.routeKey()).getBytes(StandardCharsets.UTF_8));
      routeKeys.put(id, route.routeKey());
      FunctionTarget function = integration.function();
      uses.put(
          id,
          new FunctionTargets.Use(
              function.name(),
              integration.timeoutMillis(),
              function.payloadFormatVersion(),
              List.of("WebSocket route " + route.routeKey())));
    }
    return routeKeys;
  }

  /** The WebSocket routes with their functions' targets as resolved for this stage. */
  private static WebSocketApiConfig resolved(
      WebSocketApiConfig webSocket,
      Map<UUID, String> routeKeys,
      Map<UUID, FunctionTarget> targets) {
    Map<String, FunctionTarget> byRoute = new HashMap<>();
    routeKeys.forEach((id, routeKey) -> byRoute.put(routeKey, targets.get(id)));
    List<WebSocketRouteConfig> routes = new java.util.ArrayList<>();
    for (WebSocketRouteConfig route : webSocket.routes()) {
      FunctionTarget target = byRoute.get(route.routeKey());
      IntegrationConfig integration = route.integration();
      routes.add(
          target == null
              ? route
              : new WebSocketRouteConfig(
                  route.routeKey(),
                  route.apiKeyRequired(),
                  route.authorization(),
                  IntegrationConfig.awsProxy(
                      integration.uri(),
                      integration.connectTimeoutMillis(),
                      integration.timeoutMillis(),
                      target),
                  route.twoWay(),
                  route.throttle()));
    }
    return new WebSocketApiConfig(webSocket.routeSelectionExpression(), routes);
  }

  /** The function-backed authorizers, each used by itself (it is invoked by name). */
  private static Map<UUID, FunctionTargets.Use> functionUses(List<Authorizer> authorizers) {
    Map<UUID, FunctionTargets.Use> uses = new HashMap<>();
    for (Authorizer a : authorizers) {
      if (a.spec().function() != null) {
        uses.put(
            a.id(),
            new FunctionTargets.Use(
                a.spec().function(),
                a.spec().timeoutMillis(),
                a.spec().payloadFormatVersion(),
                List.of("authorizer " + a.name())));
      }
    }
    return uses;
  }

  /** The request validators imported with the API's OpenAPI document, as the gateway runs them. */
  private Map<UUID, RequestValidation> gatewayChecks(TenantTx tx, UUID apiId) {
    Map<UUID, RequestValidation> checks = new HashMap<>();
    openApiStore
        .in(tx)
        .requestValidators(apiId)
        .forEach(
            (routeId, validator) -> {
              RequestValidation check = validator.gatewayCheck();
              if (check != null) {
                checks.put(routeId, check);
              }
            });
    return checks;
  }
}
