package dev.turnpike.controlplane.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.deployment.Deployment;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.deployment.FrozenApi;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.openapi.OpenApiExport;
import dev.turnpike.controlplane.portal.Catalog.Authentication;
import dev.turnpike.controlplane.portal.Catalog.DeployedRoute;
import dev.turnpike.controlplane.portal.Catalog.StageDeployment;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

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
        routes.add(
            new DeployedRoute(
                route.method(),
                route.resourcePath(),
                route.apiKeyRequired(),
                authentication(frozen, route)));
      }
      result.add(
          new StageDeployment(stage.name(), deployment.id(), deployment.createdAt(), routes));
    }
    return result;
  }

  private static Authentication authentication(FrozenApi frozen, RouteConfig route) {
    RouteAuthorization authorization = route.authorization();
    if (authorization == null) {
      return null;
    }
    AuthorizerConfig authorizer =
        frozen.authorizers().stream()
            .filter(a -> a.authorizerId().equals(authorization.authorizerId()))
            .findFirst()
            .orElse(null);
    if (authorizer == null) {
      return null;
    }
    boolean jwt = authorizer.type() == AuthorizerType.JWT;
    return new Authentication(
        authorizer.type().name().toLowerCase(Locale.ROOT),
        jwt ? authorizer.jwt().issuer() : null,
        jwt ? authorizer.jwt().audience() : List.of(),
        authorization.scopes(),
        authorizer.identitySources());
  }

  /**
   * The stage's OpenAPI document for developers: its deployment, without implementation details,
   * with the stage's path-style gateway address as the only server.
   */
  JsonNode document(TenantTx tx, String tenantSlug, Api api, Stage stage) {
    JsonNode document = export.stage(tx, api.id(), stage.id()).deepCopy();
    describeAuthorizers(document);
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

  /**
   * Says authorizers' schemes in plain OpenAPI, before their extensions go: a JWT authorizer as an
   * {@code openIdConnect} scheme at its issuer's discovery document (so tools can fetch a token), a
   * custom one as the header it reads.
   */
  static void describeAuthorizers(JsonNode document) {
    if (!(document.path("components").path("securitySchemes") instanceof ObjectNode schemes)) {
      return;
    }
    for (var entry : schemes.properties()) {
      JsonNode authorizer = entry.getValue().path("x-amazon-apigateway-authorizer");
      if (authorizer.isMissingNode() || !(entry.getValue() instanceof ObjectNode scheme)) {
        continue;
      }
      if ("jwt".equalsIgnoreCase(authorizer.path("type").asText())) {
        String issuer = authorizer.path("jwtConfiguration").path("issuer").asText();
        scheme.removeAll();
        scheme.put("type", "openIdConnect");
        scheme.put(
            "openIdConnectUrl", issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        scheme.put("description", "A bearer token (JWT) issued by " + issuer);
      } else {
        String source = authorizer.path("identitySource").asText("").split(",")[0].strip();
        int header = source.indexOf(".header.");
        if (header >= 0) {
          scheme.put("name", source.substring(header + ".header.".length()));
        }
        scheme.put("description", "Checked by the API's own authorizer");
      }
    }
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
