package dev.turnpike.controlplane.openapi;

import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.authorizer.Authorizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What an import changes in an API's rows, worked out in memory from the rows before it and then
 * written in a few statements: an import of 10,000 routes is a handful of round trips, not tens of
 * thousands. A route whose method and path survive keeps its id; each imported route gets an
 * integration of its own; integrations no route uses any more go.
 */
final class RouteReplacement {
  private final List<Integration> newIntegrations = new ArrayList<>();
  private final List<Route> inserted = new ArrayList<>();
  private final List<Route> updated = new ArrayList<>();
  private final List<UUID> deletedRoutes = new ArrayList<>();
  private final Set<UUID> deletedIntegrations = new LinkedHashSet<>();
  private final Map<UUID, RequestValidator> validators = new LinkedHashMap<>();
  private final List<Integration> integrationsBefore;
  private final int routeCount;
  private final int integrationCount;

  RouteReplacement(
      UUID apiId,
      ImportedApi imported,
      OpenApiImport.Mode mode,
      List<Route> routesBefore,
      List<Integration> integrationsBefore,
      Map<String, Authorizer> authorizers,
      Instant now) {
    this.integrationsBefore = integrationsBefore;
    Map<String, Route> existing = new HashMap<>();
    routesBefore.forEach(r -> existing.put(key(r), r));
    Map<String, Route> after = new LinkedHashMap<>();
    if (mode == OpenApiImport.Mode.MERGE) {
      routesBefore.forEach(r -> after.put(key(r), r));
    }
    Set<UUID> released = new LinkedHashSet<>();
    for (ImportedRoute route : imported.routes()) {
      Integration integration = route.integration().toIntegration(UUID.randomUUID(), apiId, now);
      newIntegrations.add(integration);
      Route old = existing.get(route.key());
      Route stored =
          new Route(
              old == null ? UUID.randomUUID() : old.id(),
              apiId,
              route.method(),
              route.resourcePath(),
              route.apiKeyRequired(),
              integration.id(),
              old == null ? now : old.createdAt());
      Authorizer authorizer =
          route.authorizer() == null ? null : authorizers.get(route.authorizer());
      if (authorizer != null) {
        stored =
            stored.authorizedBy(
                authorizer.spec().authorizationType(), authorizer.id(), route.scopes());
      }
      if (old == null) {
        inserted.add(stored);
      } else {
        updated.add(stored);
        released.add(old.integrationId());
      }
      // A kept route's old validator goes when the document gives it none.
      if (old != null || route.validator() != null) {
        validators.put(stored.id(), route.validator());
      }
      after.put(route.key(), stored);
    }
    if (mode == OpenApiImport.Mode.OVERWRITE) {
      routesBefore.stream()
          .filter(r -> !after.containsKey(key(r)))
          .forEach(r -> deletedRoutes.add(r.id()));
      // The document is the whole definition: integrations no route of it uses go too.
      integrationsBefore.forEach(i -> released.add(i.id()));
    }
    Set<UUID> used = new HashSet<>();
    after.values().forEach(r -> used.add(r.integrationId()));
    released.stream().filter(id -> !used.contains(id)).forEach(deletedIntegrations::add);
    routeCount = after.size();
    integrationCount =
        integrationsBefore.size() - deletedIntegrations.size() + newIntegrations.size();
  }

  private static String key(Route route) {
    return route.method() + " " + route.resourcePath();
  }

  /** How many routes the API has once the import is written. */
  int routeCount() {
    return routeCount;
  }

  /** How many integrations the API has once the import is written. */
  int integrationCount() {
    return integrationCount;
  }

  /**
   * The API's integrations once the import is written, in the order the store lists them (by time
   * of creation, then id as PostgreSQL orders uuids): known without reading thousands back.
   */
  List<Integration> integrationsAfter() {
    List<Integration> after = new ArrayList<>();
    integrationsBefore.stream()
        .filter(i -> !deletedIntegrations.contains(i.id()))
        .forEach(after::add);
    after.addAll(newIntegrations);
    after.sort(Comparator.comparing(Integration::createdAt).thenComparing(i -> i.id().toString()));
    return after;
  }

  /**
   * Writes the change. Routes move to their new integrations before the old ones are deleted, and
   * no inserted route shares a method and path with one that stays.
   */
  void write(ApiStore apis, OpenApiStore documents) {
    apis.insertIntegrations(newIntegrations);
    apis.updateRoutes(updated);
    apis.insertRoutes(inserted);
    apis.deleteRoutes(deletedRoutes);
    apis.deleteIntegrations(deletedIntegrations);
    documents.setRequestValidators(validators);
  }
}
