package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.api.EgressTargets;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.ResourcePath;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.tx.TenantTx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Replaces an API's routes and integrations with those an OpenAPI document describes, in the
 * caller's transaction: the document is checked whole first, and any problem leaves the API as it
 * was. A route whose method and path survive keeps its id, so its metrics and per-method limits
 * carry on.
 */
public final class OpenApiImport {
  /** How the document meets the API's current definition. */
  public enum Mode {
    /** The document becomes the whole definition. */
    OVERWRITE,
    /** The document's operations are added or replace the same method and path; others stay. */
    MERGE;

    /**
     * @throws ApiFailure 400 naming the {@code mode} query parameter
     */
    public static Mode parse(String value) {
      if (value == null || value.equals("overwrite")) {
        return OVERWRITE;
      }
      if (value.equals("merge")) {
        return MERGE;
      }
      throw ApiFailure.invalid("mode", "must be overwrite or merge");
    }
  }

  private final EgressTargets egress;

  public OpenApiImport(EgressTargets egress) {
    this.egress = egress;
  }

  public record Input(byte[] document, String contentType, Mode mode) {}

  /**
   * @param warnings parts of the document that were accepted but have no effect in Turnpike
   */
  public record Output(
      UUID apiId,
      String mode,
      List<Route> routes,
      List<Integration> integrations,
      List<FieldError> warnings) {}

  /** What the audit trail keeps of a definition before and after an import. */
  record Definition(Api api, List<Route> routes, List<Integration> integrations) {}

  public Output execute(TenantTx tx, UUID apiId, Input in) {
    ApiStore apis = tx.store(ApiStore.class);
    // The API must exist before its input is judged: 404 comes before 400.
    apis.findApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    JsonNode document = DocumentCodec.read(in.document(), in.contentType());
    Findings findings = new Findings(uri -> egress.problem(tx.tenantId(), uri));
    ImportedApi imported = DocumentMapper.map(document, findings);
    findings.throwIfErrors();

    Api before = apis.lockApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    List<Route> routesBefore = apis.listRoutes(apiId);
    List<Integration> integrationsBefore = apis.listIntegrations(apiId);
    if (in.mode() == Mode.MERGE) {
      checkAgainstKeptPaths(imported, routesBefore, findings);
      findings.throwIfErrors();
    }
    replaceRoutes(tx, apiId, imported, in.mode(), routesBefore, integrationsBefore);
    Api after = settings(before, imported, in.mode(), tx);
    apis.updateApi(after);
    OpenApiStore documents = tx.store(OpenApiStore.class);
    JsonNode kept =
        in.mode() == Mode.OVERWRITE
            ? document
            : documents
                .document(apiId)
                .map(stored -> DocumentMerge.merge(stored, document))
                .orElse(document);
    documents.saveDocument(apiId, kept);

    List<Route> routesAfter = apis.listRoutes(apiId);
    List<Integration> integrationsAfter = apis.listIntegrations(apiId);
    tx.audit()
        .record(
            "api.openapi_import",
            "api",
            apiId,
            new Definition(before, routesBefore, integrationsBefore),
            new Definition(after, routesAfter, integrationsAfter));
    return new Output(
        apiId,
        in.mode().name().toLowerCase(Locale.ROOT),
        routesAfter,
        integrationsAfter,
        findings.warnings());
  }

  /** In a merge, the document's paths must also fit beside the paths the API keeps. */
  private static void checkAgainstKeptPaths(
      ImportedApi imported, List<Route> existing, Findings findings) {
    Set<String> replaced = new HashSet<>();
    imported.routes().forEach(r -> replaced.add(r.key()));
    List<String> keptPaths =
        existing.stream()
            .filter(r -> !replaced.contains(r.method() + " " + r.resourcePath()))
            .map(Route::resourcePath)
            .distinct()
            .toList();
    Set<String> checked = new HashSet<>();
    for (ImportedRoute route : imported.routes()) {
      if (checked.add(route.resourcePath())) {
        String conflict = ResourcePath.conflict(route.resourcePath(), keptPaths);
        if (conflict != null) {
          findings.error(route.pathAt(), conflict + ", a path the API keeps in a merge");
        }
      }
    }
  }

  private static void replaceRoutes(
      TenantTx tx,
      UUID apiId,
      ImportedApi imported,
      Mode mode,
      List<Route> routesBefore,
      List<Integration> integrationsBefore) {
    ApiStore apis = tx.store(ApiStore.class);
    OpenApiStore validators = tx.store(OpenApiStore.class);
    Map<String, Route> existing = new HashMap<>();
    routesBefore.forEach(r -> existing.put(r.method() + " " + r.resourcePath(), r));
    Set<UUID> released = new LinkedHashSet<>();
    Set<String> imports = new HashSet<>();
    for (ImportedRoute route : imported.routes()) {
      imports.add(route.key());
      Integration integration =
          route.integration().toIntegration(UUID.randomUUID(), apiId, tx.now());
      apis.insertIntegration(integration);
      Route old = existing.get(route.key());
      Route stored =
          new Route(
              old == null ? UUID.randomUUID() : old.id(),
              apiId,
              route.method(),
              route.resourcePath(),
              route.apiKeyRequired(),
              integration.id(),
              old == null ? tx.now() : old.createdAt());
      if (old == null) {
        apis.insertRoute(stored);
      } else {
        apis.updateRoute(stored);
        released.add(old.integrationId());
      }
      validators.setRequestValidator(stored.id(), route.validator());
    }
    if (mode == Mode.OVERWRITE) {
      for (Route old : routesBefore) {
        if (!imports.contains(old.method() + " " + old.resourcePath())) {
          apis.deleteRoute(old.id());
        }
      }
      // The document is the whole definition: integrations no route of it uses go too.
      integrationsBefore.forEach(i -> released.add(i.id()));
    }
    for (UUID integrationId : released) {
      if (apis.routesUsing(integrationId).isEmpty()) {
        apis.deleteIntegration(integrationId);
      }
    }
  }

  private static Api settings(Api before, ImportedApi imported, Mode mode, TenantTx tx) {
    String keySource = imported.apiKeySource();
    List<String> binary = imported.binaryMediaTypes();
    Map<String, GatewayResponseConfig> responses = imported.gatewayResponses();
    if (mode == Mode.OVERWRITE) {
      keySource = keySource == null ? "HEADER" : keySource;
      binary = binary == null ? List.of() : binary;
      responses = responses == null ? Map.of() : responses;
    } else {
      keySource = keySource == null ? before.apiKeySource() : keySource;
      Set<String> union = new LinkedHashSet<>(before.binaryMediaTypes());
      if (binary != null) {
        union.addAll(binary);
      }
      binary = List.copyOf(union);
      Map<String, GatewayResponseConfig> merged = new TreeMap<>(before.gatewayResponses());
      if (responses != null) {
        merged.putAll(responses);
      }
      responses = merged;
    }
    return new Api(
        before.id(),
        before.slug(),
        before.name(),
        before.description(),
        keySource,
        binary,
        responses,
        before.createdAt(),
        tx.now());
  }
}
