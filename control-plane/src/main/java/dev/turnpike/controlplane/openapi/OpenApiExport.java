package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tenant.Tenant;
import dev.turnpike.controlplane.tenant.TenantStore;
import dev.turnpike.controlplane.tx.TenantTx;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Exports an API's current definition (not the document last imported, which may since have been
 * edited through the API) as an OpenAPI 3.0.1 document with API Gateway's extensions.
 */
public final class OpenApiExport {
  private static final String DEFAULT_BASE_PATH = "default";

  private final String gatewayBaseUrl;

  /**
   * @param gatewayBaseUrl the gateway's public base URL for path-style addresses, e.g. {@code
   *     https://gw.example.com}; null when unknown, for a relative server URL
   */
  public OpenApiExport(String gatewayBaseUrl) {
    this.gatewayBaseUrl = gatewayBaseUrl == null ? null : gatewayBaseUrl.replaceAll("/+$", "");
  }

  public JsonNode execute(TenantTx tx, UUID apiId) {
    ApiStore apis = tx.store(ApiStore.class);
    Api api = apis.findApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    Map<UUID, Integration> integrations =
        apis.listIntegrations(apiId).stream()
            .collect(Collectors.toMap(Integration::id, Function.identity()));
    return DocumentWriter.write(
        new DocumentWriter.Export(
            api,
            apis.listRoutes(apiId),
            integrations,
            tx.store(OpenApiStore.class).requestValidators(apiId),
            serverUrl(tx, api),
            basePath(tx, apiId)));
  }

  private String serverUrl(TenantTx tx, Api api) {
    if (gatewayBaseUrl == null) {
      return "/{basePath}";
    }
    String tenant = tx.store(TenantStore.class).find(tx.tenantId()).map(Tenant::slug).orElseThrow();
    return gatewayBaseUrl + "/" + tenant + "/" + api.slug() + "/{basePath}";
  }

  /** A deployed stage's name, the first by name, as API Gateway exports one stage. */
  private static String basePath(TenantTx tx, UUID apiId) {
    return tx.store(DeploymentStore.class).listStages(apiId).stream()
        .sorted(
            Comparator.comparing((Stage s) -> s.deploymentId() == null).thenComparing(Stage::name))
        .map(Stage::name)
        .findFirst()
        .orElse(DEFAULT_BASE_PATH);
  }
}
