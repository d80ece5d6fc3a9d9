package dev.turnpike.controlplane.function;

import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Resolves, at deployment, the functions a definition's aws_proxy integrations name into the
 * targets the gateway invokes: stage variables filled in from the deploying stage, then the
 * qualified registration ({@code orders:live}) if there is one, else the function's own ({@code
 * orders}), which serves all its aliases and versions. A deployment that names any function that
 * does not resolve is refused with 422 naming each one, so nothing fails at request time.
 */
public final class FunctionTargets {
  private final TxStore<FunctionStore> functionStore;

  public FunctionTargets(TxStore<FunctionStore> functionStore) {
    this.functionStore = functionStore;
  }

  /**
   * One aws_proxy integration a deployment's routes use.
   *
   * @param reference the function it names, possibly with an alias and stage variables
   * @param usedBy the routes using it, for the refusal's message, e.g. {@code GET /orders}
   */
  public record Use(
      String reference, int timeoutMillis, String payloadFormatVersion, List<String> usedBy) {}

  /**
   * @param uses by integration id
   * @return the target of each integration, by integration id
   * @throws ApiFailure {@link ProblemKind#FUNCTIONS_NOT_REGISTERED} naming each function that does
   *     not resolve, with the routes that use it
   */
  public Map<UUID, FunctionTarget> resolve(
      TenantTx tx, Map<UUID, Use> uses, String stageName, Map<String, String> variables) {
    if (uses.isEmpty()) {
      return Map.of();
    }
    Map<UUID, String> resolvedNames = new HashMap<>();
    // Problems by what the owner must fix (a function's name, or a reference), with the routes.
    Map<String, Set<String>> unregistered = new TreeMap<>();
    Map<String, String> unresolvable = new TreeMap<>();
    Set<String> wanted = new LinkedHashSet<>();
    uses.forEach(
        (id, use) -> {
          switch (FunctionNames.substitute(use.reference(), variables, stageName)) {
            case FunctionNames.Substitution.Resolved r -> {
              resolvedNames.put(id, r.name());
              wanted.add(r.name());
              wanted.add(FunctionNames.unqualified(r.name()));
            }
            case FunctionNames.Substitution.Unresolved u ->
                unresolvable.put(use.reference(), u.reason() + "; used by " + routes(use));
          }
        });
    Map<String, RegisteredFunction> registered = new HashMap<>();
    functionStore.in(tx).findAll(wanted).forEach(f -> registered.put(f.name(), f));
    Map<UUID, FunctionTarget> targets = new HashMap<>();
    resolvedNames.forEach(
        (id, name) -> {
          Use use = uses.get(id);
          RegisteredFunction function = registered.get(name);
          if (function == null) {
            function = registered.get(FunctionNames.unqualified(name));
          }
          if (function == null) {
            unregistered.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(use.usedBy());
            return;
          }
          targets.put(
              id,
              new FunctionTarget(
                  function.name(),
                  function.invokeUrl(),
                  Math.min(use.timeoutMillis(), function.timeoutMillis()),
                  use.payloadFormatVersion()));
        });
    if (!unregistered.isEmpty() || !unresolvable.isEmpty()) {
      throw refusal(unregistered, unresolvable);
    }
    return targets;
  }

  private static ApiFailure refusal(
      Map<String, Set<String>> unregistered, Map<String, String> unresolvable) {
    List<FieldError> errors = new ArrayList<>();
    unregistered.forEach(
        (name, routes) ->
            errors.add(
                new FieldError(
                    "/functions/" + name.replace("~", "~0").replace("/", "~1"),
                    "is not registered; used by " + String.join(", ", new TreeSet<>(routes)))));
    unresolvable.forEach(
        (reference, why) ->
            errors.add(
                new FieldError(
                    "/functions/" + reference.replace("~", "~0").replace("/", "~1"), why)));
    List<String> names = new ArrayList<>(unregistered.keySet());
    names.addAll(unresolvable.keySet());
    return new ApiFailure(
        ProblemKind.FUNCTIONS_NOT_REGISTERED,
        "The deployment's routes name functions that are not registered: "
            + String.join(", ", names)
            + "; register them (PUT /v1/tenants/{tenantId}/functions/{name}) and deploy again;"
            + " nothing was changed",
        errors);
  }

  private static String routes(Use use) {
    return String.join(", ", use.usedBy());
  }
}
