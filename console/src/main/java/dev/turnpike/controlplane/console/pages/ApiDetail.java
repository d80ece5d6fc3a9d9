package dev.turnpike.controlplane.console.pages;

import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.HttpMethods;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.deployment.Delivery;
import dev.turnpike.controlplane.deployment.Deployment;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The API page: routes and integrations with their forms, stages with what they serve, deploying,
 * the deployment history and rolling back. Any of its forms may come back with messages; the others
 * are shown empty.
 */
final class ApiDetail {
  static final Set<String> ROUTE_FIELDS =
      Set.of(
          "/method",
          "/resourcePath",
          "/apiKeyRequired",
          "/integrationId",
          "/authorizationType",
          "/authorizerId",
          "/authorizer",
          "/authorizationScopes");
  static final Set<String> INTEGRATION_FIELDS =
      Set.of(
          "/type",
          "/httpMethod",
          "/uri",
          "/connectTimeoutMillis",
          "/timeoutMillis",
          "/mock/statusCode",
          "/mock/body",
          "/function",
          "/payloadFormatVersion");
  static final Set<String> STAGE_FIELDS = Set.of("/name", "/description");
  static final Set<String> DEPLOY_FIELDS = Set.of("/stageId", "/description");
  static final Set<String> ROLLBACK_FIELDS = Set.of("/deploymentId");
  static final Set<String> SETTINGS_FIELDS = Set.of("/name", "/description");
  static final Set<String> EDGE_FIELDS =
      Set.of("/sourceIpPolicy", "/minimumCompressionSize", "/decompressRequests");
  static final List<String> METHODS = List.copyOf(new TreeSet<>(HttpMethods.ROUTE_METHODS));

  /** A route with the integration it points at and its authorizer (null for none). */
  public record RouteRow(Route route, Integration integration, Authorizer authorizer) {}

  /**
   * A stage with the deployment it serves, if any, and whether that reached the gateways (null when
   * it serves nothing).
   */
  public record StageRow(Stage stage, Deployment deployment, Delivery delivery) {}

  private final UseCases u;

  ApiDetail(UseCases u) {
    this.u = u;
  }

  /** The page with {@code form} in the slot it was sent from (null: every form empty). */
  View view(TenantTx tx, UUID apiId, String slot, Form form) {
    Api api = u.apis().get(tx, apiId);
    List<Integration> integrations = u.integrations().list(tx, apiId);
    Map<UUID, Integration> byId = new HashMap<>();
    integrations.forEach(i -> byId.put(i.id(), i));
    List<Authorizer> authorizers = u.authorizers().list(tx, apiId);
    Map<UUID, Authorizer> authorizersById = new HashMap<>();
    authorizers.forEach(a -> authorizersById.put(a.id(), a));
    List<RouteRow> routes =
        u.routes().list(tx, apiId).stream()
            .map(
                r ->
                    new RouteRow(
                        r,
                        byId.get(r.integrationId()),
                        r.authorizerId() == null ? null : authorizersById.get(r.authorizerId())))
            .toList();
    List<Deployment> deployments = u.deployments().list(tx, apiId);
    Map<UUID, Deployment> deploymentsById = new HashMap<>();
    deployments.forEach(d -> deploymentsById.put(d.id(), d));
    List<StageRow> stages =
        u.stages().list(tx, apiId).stream()
            .map(
                s ->
                    new StageRow(
                        s,
                        s.deploymentId() == null ? null : deploymentsById.get(s.deploymentId()),
                        u.stages().view(tx, s).delivery()))
            .toList();
    Map<String, Form> forms = new HashMap<>();
    forms.put("route", Form.of(Map.of("apiKeyRequired", "on")).placing(ROUTE_FIELDS));
    forms.put(
        "integration",
        Form.of(Map.of("type", "http_proxy", "httpMethod", "ANY")).placing(INTEGRATION_FIELDS));
    forms.put("stage", Form.empty().placing(STAGE_FIELDS));
    forms.put("deploy", Form.empty().placing(DEPLOY_FIELDS));
    forms.put("rollback", Form.empty().placing(ROLLBACK_FIELDS));
    forms.put(
        "settings",
        Form.empty()
            .set("name", api.name())
            .set("description", api.description())
            .placing(SETTINGS_FIELDS));
    forms.put(
        "edge",
        Form.empty()
            .set(
                "allowCidrs",
                api.sourceIpPolicy() == null
                    ? ""
                    : String.join("\n", api.sourceIpPolicy().allowCidrs()))
            .set(
                "denyCidrs",
                api.sourceIpPolicy() == null
                    ? ""
                    : String.join("\n", api.sourceIpPolicy().denyCidrs()))
            .set(
                "minimumCompressionSize",
                api.minimumCompressionSize() == null ? "" : api.minimumCompressionSize().toString())
            .set("decompressRequests", api.decompressRequests() ? "on" : "")
            .placing(EDGE_FIELDS));
    forms.put(CorsForm.SLOT, CorsForm.of(api.corsConfiguration()));
    if (slot != null) {
      Set<String> placed =
          switch (slot) {
            case "route" -> ROUTE_FIELDS;
            case "integration" -> INTEGRATION_FIELDS;
            case "stage" -> STAGE_FIELDS;
            case "deploy" -> DEPLOY_FIELDS;
            case "settings" -> SETTINGS_FIELDS;
            case "edge" -> EDGE_FIELDS;
            case CorsForm.SLOT -> CorsForm.FIELDS;
            default -> ROLLBACK_FIELDS;
          };
      forms.put(slot, form.placing(placed));
    }
    return View.page("api")
        .with("nav", "apis")
        .with("api", api)
        .with("webSocket", u.webSocketApis().find(tx, apiId).orElse(null))
        .with("routes", routes)
        .with("integrations", integrations)
        .with("authorizers", authorizers)
        .with("stages", stages)
        .with("deployments", deployments)
        .with("methods", METHODS)
        .with(
            "functions",
            IntegrationEditPage.functionChoices(u, tx, forms.get("integration").value("function")))
        .with("payloadFormatVersions", IntegrationEditPage.PAYLOAD_FORMAT_VERSIONS)
        .with("forms", forms)
        .with("slot", slot == null ? "" : slot);
  }
}
