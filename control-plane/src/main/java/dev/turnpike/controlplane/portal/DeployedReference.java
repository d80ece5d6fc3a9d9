package dev.turnpike.controlplane.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.deployment.Deployment;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.deployment.FrozenApi;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.openapi.OpenApiExport;
import dev.turnpike.controlplane.portal.Catalog.DeployedRoute;
import dev.turnpike.controlplane.portal.Catalog.StageDeployment;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An API's reference as developers can call it: per stage, the routes of the deployment the stage
 * serves, never the owner's undeployed edits. Stages running different deployments document
 * differently.
 */
final class DeployedReference {
  private final OpenApiExport export;
  private final TxStore<DeploymentStore> deploymentStore;

  DeployedReference(TxStore<DeploymentStore> deploymentStore, OpenApiExport export) {
    this.deploymentStore = deploymentStore;
    this.export = export;
  }

  /**
   * @param stages deployed stages
   */
  List<StageDeployment> summaries(TenantTx tx, Api api, List<Stage> stages) {
    DeploymentStore store = deploymentStore.in(tx);
    List<StageDeployment> result = new ArrayList<>();
    for (Stage stage : stages) {
      Deployment deployment = store.findDeployment(api.id(), stage.deploymentId()).orElseThrow();
      FrozenApi frozen = store.definition(deployment.id()).orElseThrow();
      List<DeployedRoute> routes = new ArrayList<>();
      for (RouteConfig route : frozen.routes()) {
        routes.add(new DeployedRoute(route.method(), route.resourcePath(), route.apiKeyRequired()));
      }
      result.add(
          new StageDeployment(stage.name(), deployment.id(), deployment.createdAt(), routes));
    }
    return result;
  }

  /**
   * The stage's OpenAPI document for developers: its deployment, without implementation details,
   * with the stage's path-style gateway address as the only server.
   */
  JsonNode document(TenantTx tx, String tenantSlug, Api api, Stage stage) {
    JsonNode document = export.stage(tx, api.id(), stage.id()).deepCopy();
    stripImplementation(document);
    if (document instanceof ObjectNode root) {
      ArrayNode servers = JsonNodeFactory.instance.arrayNode();
      servers
          .addObject()
          .put("url", "/" + tenantSlug + "/" + api.slug() + "/" + stage.name())
          .put("description", "Stage " + stage.name() + " (path-style address on the gateway)");
      root.set("servers", servers);
    }
    return document;
  }

  /** Removes every {@code x-amazon-apigateway-*} and {@code x-turnpike*} member, at any depth. */
  static void stripImplementation(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<String> names = object.fieldNames();
      List<String> drop = new ArrayList<>();
      while (names.hasNext()) {
        String name = names.next();
        if (name.startsWith("x-amazon-apigateway") || name.startsWith("x-turnpike")) {
          drop.add(name);
        }
      }
      object.remove(drop);
      object.elements().forEachRemaining(DeployedReference::stripImplementation);
    } else if (node instanceof ArrayNode array) {
      array.elements().forEachRemaining(DeployedReference::stripImplementation);
    }
  }
}
