package dev.turnpike.controlplane.openapi;

import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.authorizer.AuthorizerStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What an import changes in an API's authorizers: each of the document's security schemes that is
 * an authorizer creates or replaces the authorizer of its name (keeping its id, so stages and
 * routes naming it carry on); in an overwrite, authorizers the document does not describe go once
 * no route names them.
 */
final class AuthorizerReplacement {
  private final List<Authorizer> inserted = new ArrayList<>();
  private final List<Authorizer> updated = new ArrayList<>();
  private final List<Authorizer> deleted = new ArrayList<>();
  private final Map<String, Authorizer> after = new LinkedHashMap<>();

  AuthorizerReplacement(
      UUID apiId,
      ImportedApi imported,
      OpenApiImport.Mode mode,
      List<Authorizer> before,
      List<Route> routesBefore,
      Findings findings,
      Instant now) {
    Map<String, Authorizer> byName = new LinkedHashMap<>();
    before.forEach(a -> byName.put(a.name(), a));
    if (mode == OpenApiImport.Mode.MERGE) {
      after.putAll(byName);
    }
    Set<String> replacedRoutes =
        imported.routes().stream().map(ImportedRoute::key).collect(Collectors.toSet());
    for (ImportedAuthorizer a : imported.authorizers()) {
      Authorizer old = byName.get(a.name());
      if (old == null) {
        Authorizer created = new Authorizer(UUID.randomUUID(), apiId, a.name(), a.spec(), now, now);
        inserted.add(created);
        after.put(a.name(), created);
        continue;
      }
      if (mode == OpenApiImport.Mode.MERGE
          && !old.spec().authorizationType().equals(a.spec().authorizationType())) {
        // Routes a merge keeps name it as the kind it was.
        List<String> kept =
            routesBefore.stream()
                .filter(r -> old.id().equals(r.authorizerId()))
                .map(r -> r.method() + " " + r.resourcePath())
                .filter(key -> !replacedRoutes.contains(key))
                .toList();
        if (!kept.isEmpty()) {
          findings.error(
              a.at().then("type"),
              "changes authorizer "
                  + a.name()
                  + " from "
                  + old.spec().type()
                  + " to "
                  + a.spec().type()
                  + ", but methods the merge keeps use it as "
                  + old.spec().authorizationType()
                  + ": "
                  + String.join(", ", kept));
        }
      }
      Authorizer replaced =
          new Authorizer(old.id(), apiId, a.name(), a.spec(), old.createdAt(), now);
      updated.add(replaced);
      after.put(a.name(), replaced);
    }
    if (mode == OpenApiImport.Mode.OVERWRITE) {
      before.stream().filter(a -> !after.containsKey(a.name())).forEach(deleted::add);
    }
  }

  /** The API's authorizers once the import is written, by name. */
  Map<String, Authorizer> after() {
    return after;
  }

  /** Creates and replaces authorizers, before the routes that name them are written. */
  void writeAuthorizers(AuthorizerStore store) {
    inserted.forEach(store::insert);
    updated.forEach(store::update);
  }

  /** Deletes the authorizers gone, after the routes no longer name them. */
  void deleteStale(AuthorizerStore store) {
    deleted.forEach(a -> store.delete(a.id()));
  }
}
