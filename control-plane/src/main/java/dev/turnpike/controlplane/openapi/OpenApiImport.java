package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.api.EgressTargets;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.PathConflicts;
import dev.turnpike.controlplane.api.ResourcePath;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.authorizer.AuthorizerStore;
import dev.turnpike.controlplane.function.FunctionStore;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
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

  public record Input(byte[] document, String contentType, Mode mode) {}

  /**
   * @param warnings parts of the document that were accepted but have no effect in Turnpike: the
   *     first {@link ApiFailure#LISTED_ERRORS} of them
   * @param totalWarnings how many there are, listed or not
   */
  public record Output(
      UUID apiId,
      String mode,
      List<Route> routes,
      List<Integration> integrations,
      List<Authorizer> authorizers,
      List<FieldError> warnings,
      int totalWarnings) {}

  /**
   * What the audit trail keeps of a definition before and after an import: the API's settings, its
   * routes as "METHOD /path" and how many integrations it has. Whole routes and integrations,
   * twice, made one import of 10,000 routes an audit row of ten megabytes.
   */
  record Definition(Api api, List<String> routes, int integrations, List<String> authorizers) {
    static Definition of(
        Api api, List<Route> routes, List<Integration> integrations, List<Authorizer> authorizers) {
      return new Definition(
          api,
          routes.stream().map(r -> r.method() + " " + r.resourcePath()).toList(),
          integrations.size(),
          authorizers.stream().map(Authorizer::name).toList());
    }
  }

  private final EgressTargets egress;
  private final OwnerLimits limits;
  private final TxStore<ApiStore> apiStore;
  private final TxStore<OpenApiStore> openApiStore;
  private final TxStore<FunctionStore> functionStore;
  private final TxStore<AuthorizerStore> authorizerStore;

  public OpenApiImport(
      TxStore<ApiStore> apiStore,
      TxStore<OpenApiStore> openApiStore,
      TxStore<FunctionStore> functionStore,
      TxStore<AuthorizerStore> authorizerStore,
      EgressTargets egress,
      OwnerLimits limits) {
    this.apiStore = apiStore;
    this.authorizerStore = authorizerStore;
    this.openApiStore = openApiStore;
    this.functionStore = functionStore;
    this.egress = egress;
    this.limits = limits;
  }

  public Output execute(TenantTx tx, UUID apiId, Input in) {
    ApiStore apis = apiStore.in(tx);
    // The API must exist before its input is judged: 404 comes before 400.
    apis.findApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    if (in.document() != null && in.document().length > limits.max(Limit.IMPORT_DOCUMENT_BYTES)) {
      throw limits.exceeded(
          Limit.IMPORT_DOCUMENT_BYTES, in.document().length, null, ProblemKind.PAYLOAD_TOO_LARGE);
    }
    JsonNode document = DocumentCodec.read(in.document(), in.contentType());
    // Every operation becomes a route, so a document with too many is refused before it is read.
    limits.check(Limit.ROUTES_PER_API, operationCount(document), "/paths");
    Findings findings = new Findings(limits, uri -> egress.problem(tx.tenantId(), uri));
    ImportedApi imported = DocumentMapper.map(document, findings);
    findings.throwIfErrors();
    FunctionWarnings.add(imported, functionStore.in(tx), findings);

    Api before = apis.lockApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    List<Route> routesBefore = apis.listRoutes(apiId);
    List<Integration> integrationsBefore = apis.listIntegrations(apiId);
    AuthorizerStore authorizers = authorizerStore.in(tx);
    List<Authorizer> authorizersBefore = authorizers.list(apiId);
    if (in.mode() == Mode.MERGE) {
      checkAgainstKeptPaths(imported, routesBefore, findings);
    }
    AuthorizerReplacement authorizerReplacement =
        new AuthorizerReplacement(
            apiId, imported, in.mode(), authorizersBefore, routesBefore, findings, tx.now());
    findings.throwIfErrors();
    limits.check(
        Limit.AUTHORIZERS_PER_API,
        authorizerReplacement.after().size(),
        "/components/securitySchemes");
    RouteReplacement replacement =
        new RouteReplacement(
            apiId,
            imported,
            in.mode(),
            routesBefore,
            integrationsBefore,
            authorizerReplacement.after(),
            tx.now());
    limits.check(Limit.ROUTES_PER_API, replacement.routeCount(), "/paths");
    limits.check(Limit.INTEGRATIONS_PER_API, replacement.integrationCount(), "/paths");
    OpenApiStore documents = openApiStore.in(tx);
    authorizerReplacement.writeAuthorizers(authorizers);
    replacement.write(apis, documents);
    authorizerReplacement.deleteStale(authorizers);
    Api after = settings(before, imported, in.mode(), tx);
    apis.updateApi(after);
    JsonNode kept =
        in.mode() == Mode.OVERWRITE
            ? document
            : documents
                .document(apiId)
                .map(stored -> DocumentMerge.merge(stored, document))
                .orElse(document);
    documents.saveDocument(apiId, kept);

    List<Route> routesAfter = apis.listRoutes(apiId);
    List<Integration> integrationsAfter = replacement.integrationsAfter();
    List<Authorizer> authorizersAfter = authorizers.list(apiId);
    tx.audit()
        .record(
            "api.openapi_import",
            "api",
            apiId,
            Definition.of(before, routesBefore, integrationsBefore, authorizersBefore),
            Definition.of(after, routesAfter, integrationsAfter, authorizersAfter));
    List<FieldError> warnings = findings.warnings();
    return new Output(
        apiId,
        in.mode().name().toLowerCase(Locale.ROOT),
        routesAfter,
        integrationsAfter,
        authorizersAfter,
        warnings.subList(0, Math.min(warnings.size(), ApiFailure.LISTED_ERRORS)),
        warnings.size());
  }

  /** The operations under {@code paths}, counted without reading them. */
  private static long operationCount(JsonNode document) {
    long count = 0;
    for (JsonNode item : document.path("paths")) {
      if (item.isObject()) {
        for (var field : item.properties()) {
          if (DocumentMapper.isMethod(field.getKey())) {
            count++;
          }
        }
      }
    }
    return count;
  }

  /** In a merge, the document's paths must also fit beside the paths the API keeps. */
  private static void checkAgainstKeptPaths(
      ImportedApi imported, List<Route> existing, Findings findings) {
    Set<String> replaced = new HashSet<>();
    imported.routes().forEach(r -> replaced.add(r.key()));
    PathConflicts keptPaths =
        PathConflicts.of(
            existing.stream()
                .filter(r -> !replaced.contains(r.method() + " " + r.resourcePath()))
                .map(Route::resourcePath)
                .distinct()
                .toList());
    Set<String> checked = new HashSet<>();
    for (ImportedRoute route : imported.routes()) {
      if (checked.add(route.resourcePath())) {
        String conflict = keptPaths.conflict(ResourcePath.parse(route.resourcePath()));
        if (conflict != null) {
          findings.error(route.pathAt(), conflict + ", a path the API keeps in a merge");
        }
      }
    }
  }

  private static Api settings(Api before, ImportedApi imported, Mode mode, TenantTx tx) {
    String keySource = imported.apiKeySource();
    List<String> binary = imported.binaryMediaTypes();
    Map<String, GatewayResponseConfig> responses = imported.gatewayResponses();
    SourceIpPolicy policy = imported.sourceIpPolicy();
    Integer minimumCompressionSize = imported.minimumCompressionSize();
    // The document's CORS replaces the API's; a merge without one keeps what the API has.
    CorsConfiguration cors =
        imported.cors() == null && mode == Mode.MERGE
            ? before.corsConfiguration()
            : imported.cors();
    if (mode == Mode.OVERWRITE) {
      // The document is the whole API: a policy or size it does not state is gone.
      keySource = keySource == null ? "HEADER" : keySource;
      binary = binary == null ? List.of() : binary;
      responses = responses == null ? Map.of() : responses;
    } else {
      keySource = keySource == null ? before.apiKeySource() : keySource;
      policy = policy == null ? before.sourceIpPolicy() : policy;
      minimumCompressionSize =
          minimumCompressionSize == null ? before.minimumCompressionSize() : minimumCompressionSize;
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
        policy,
        minimumCompressionSize,
        // No document extension says it: the API's setting stays as the owner made it.
        before.decompressRequests(),
        cors,
        before.createdAt(),
        tx.now());
  }
}
