package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.RequestValidation;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.authorizer.AuthorizerStore;
import dev.turnpike.controlplane.deployment.DefinitionFreezer;
import dev.turnpike.controlplane.deployment.Deployment;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.deployment.FrozenApi;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tenant.Tenant;
import dev.turnpike.controlplane.tenant.TenantStore;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Exports an API as an OpenAPI 3.0.1 document with API Gateway's extensions: either its current
 * definition (not the document last imported, which may since have been edited through the API), or
 * what a stage serves, from the stage's deployment snapshot, as API Gateway's GetExport does per
 * stage. Both go through the one {@link DocumentWriter}.
 */
public final class OpenApiExport {
  private static final String DEFAULT_BASE_PATH = "default";

  private final String gatewayBaseUrl;

  /**
   * @param gatewayBaseUrl the gateway's public base URL for path-style addresses, e.g. {@code
   *     https://gw.example.com}; null when unknown, for a relative server URL
   */
  private final TxStore<ApiStore> apiStore;

  private final TxStore<OpenApiStore> openApiStore;
  private final TxStore<DeploymentStore> deploymentStore;
  private final TxStore<TenantStore> tenantStore;
  private final TxStore<AuthorizerStore> authorizerStore;

  public OpenApiExport(
      TxStore<ApiStore> apiStore,
      TxStore<OpenApiStore> openApiStore,
      TxStore<DeploymentStore> deploymentStore,
      TxStore<TenantStore> tenantStore,
      TxStore<AuthorizerStore> authorizerStore,
      String gatewayBaseUrl) {
    this.apiStore = apiStore;
    this.authorizerStore = authorizerStore;
    this.openApiStore = openApiStore;
    this.deploymentStore = deploymentStore;
    this.tenantStore = tenantStore;
    this.gatewayBaseUrl = gatewayBaseUrl == null ? null : gatewayBaseUrl.replaceAll("/+$", "");
  }

  /** The API's current definition, deployed or not. */
  public JsonNode execute(TenantTx tx, UUID apiId) {
    ApiStore apis = apiStore.in(tx);
    Api api = apis.findApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    Map<UUID, Integration> integrations =
        apis.listIntegrations(apiId).stream()
            .collect(Collectors.toMap(Integration::id, Function.identity()));
    Map<UUID, RequestValidator> validators = openApiStore.in(tx).requestValidators(apiId);
    List<AuthorizerConfig> authorizers =
        authorizerStore.in(tx).list(apiId).stream().map(DefinitionFreezer::authorizer).toList();
    Map<String, String> names = names(authorizers);
    List<DocumentWriter.Operation> operations =
        apis.listRoutes(apiId).stream()
            .map(r -> draft(r, integrations, validators, names))
            .toList();
    return DocumentWriter.write(
        new DocumentWriter.Export(
            api.name(),
            api.description(),
            api.updatedAt().toString(),
            api.apiKeySource(),
            operations,
            api.gatewayResponses(),
            api.binaryMediaTypes(),
            serverUrl(tx, api),
            basePath(tx, apiId),
            authorizers,
            api.sourceIpPolicy(),
            api.minimumCompressionSize(),
            api.corsConfiguration()));
  }

  /**
   * What the stage serves: the routes, integrations, request validators and gateway responses of
   * its deployment, however the API has been edited since. The title and description are the API's
   * current ones (a deployment does not freeze them, as in API Gateway); the version is the
   * deployment's.
   *
   * @throws ApiFailure conflict when the stage has no deployment
   */
  public JsonNode stage(TenantTx tx, UUID apiId, UUID stageId) {
    Api api = apiStore.in(tx).findApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    DeploymentStore store = deploymentStore.in(tx);
    Stage stage =
        store.findStage(apiId, stageId).orElseThrow(() -> ApiFailure.notFound("Stage " + stageId));
    if (stage.deploymentId() == null) {
      throw ApiFailure.conflict(
          "Stage " + stage.name() + " has no deployment yet; deploy the API to it first");
    }
    Deployment deployment = store.findDeployment(apiId, stage.deploymentId()).orElseThrow();
    FrozenApi frozen = store.definition(deployment.id()).orElseThrow();
    Map<String, String> names = names(frozen.authorizers());
    return DocumentWriter.write(
        new DocumentWriter.Export(
            api.name(),
            api.description(),
            deployment.createdAt().toString(),
            api.apiKeySource(),
            frozen.routes().stream().map(r -> deployed(r, names)).toList(),
            frozen.gatewayResponses(),
            frozen.binaryMediaTypes(),
            serverUrl(tx, api),
            stage.name(),
            frozen.authorizers(),
            // What the stage applies: the deployed API's rules with the stage's own.
            SourceIpPolicy.merge(frozen.sourceIpPolicy(), stage.sourceIpPolicy()),
            frozen.compression() == null ? null : frozen.compression().minimumCompressionSize(),
            frozen.cors()));
  }

  /** What the stage of this name serves, as {@link #stage(TenantTx, UUID, UUID)}. */
  public JsonNode stageNamed(TenantTx tx, UUID apiId, String stageName) {
    apiStore.in(tx).findApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    Stage stage =
        deploymentStore.in(tx).listStages(apiId).stream()
            .filter(s -> s.name().equals(stageName))
            .findFirst()
            .orElseThrow(() -> ApiFailure.notFound("Stage " + stageName));
    return stage(tx, apiId, stage.id());
  }

  /** Authorizer names by id: methods name their authorizer's scheme. */
  private static Map<String, String> names(List<AuthorizerConfig> authorizers) {
    return authorizers.stream()
        .collect(Collectors.toMap(AuthorizerConfig::authorizerId, AuthorizerConfig::name));
  }

  private static DocumentWriter.Operation draft(
      Route route,
      Map<UUID, Integration> integrations,
      Map<UUID, RequestValidator> validators,
      Map<String, String> authorizerNames) {
    RouteAuthorization authorization = DefinitionFreezer.authorization(route);
    return new DocumentWriter.Operation(
        route.method(),
        route.resourcePath(),
        route.apiKeyRequired(),
        DefinitionFreezer.integration(integrations.get(route.integrationId())),
        validators.get(route.id()),
        authorization == null ? null : authorizerNames.get(authorization.authorizerId()),
        route.authorizationScopes(),
        integrations.get(route.integrationId()) == null
            ? List.of()
            : integrations.get(route.integrationId()).cacheKeyParameters());
  }

  private static DocumentWriter.Operation deployed(
      RouteConfig route, Map<String, String> authorizerNames) {
    RouteAuthorization authorization = route.authorization();
    return new DocumentWriter.Operation(
        route.method(),
        route.resourcePath(),
        route.apiKeyRequired(),
        route.integration(),
        validator(route.validation()),
        authorization == null ? null : authorizerNames.get(authorization.authorizerId()),
        authorization == null ? List.of() : authorization.scopes(),
        route.cacheKeyParameters());
  }

  /**
   * A deployment keeps only what the gateway checks, not the validator's name: it is named after
   * what it checks, as API Gateway's console names its built-in validators.
   */
  private static RequestValidator validator(RequestValidation check) {
    if (check == null) {
      return null;
    }
    boolean parameters = !check.requiredParameters().isEmpty();
    boolean body = check.bodySchema() != null;
    String name =
        parameters && body
            ? "Validate body, query string parameters, and headers"
            : body ? "Validate body" : "Validate query string parameters and headers";
    return new RequestValidator(
        name, parameters, body, check.requiredParameters(), check.bodySchema());
  }

  private String serverUrl(TenantTx tx, Api api) {
    if (gatewayBaseUrl == null) {
      return "/{basePath}";
    }
    String tenant = tenantStore.in(tx).find(tx.tenantId()).map(Tenant::slug).orElseThrow();
    return gatewayBaseUrl + "/" + tenant + "/" + api.slug() + "/{basePath}";
  }

  /** A deployed stage's name, the first by name, as API Gateway exports one stage. */
  private String basePath(TenantTx tx, UUID apiId) {
    return deploymentStore.in(tx).listStages(apiId).stream()
        .sorted(
            Comparator.comparing((Stage s) -> s.deploymentId() == null).thenComparing(Stage::name))
        .map(Stage::name)
        .findFirst()
        .orElse(DEFAULT_BASE_PATH);
  }
}
