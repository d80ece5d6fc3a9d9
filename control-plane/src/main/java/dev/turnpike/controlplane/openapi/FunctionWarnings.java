package dev.turnpike.controlplane.openapi;

import dev.turnpike.controlplane.function.FunctionNames;
import dev.turnpike.controlplane.function.FunctionStore;
import dev.turnpike.controlplane.function.RegisteredFunction;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An import of a document whose aws_proxy integrations name functions the tenant has not registered
 * is accepted, with a warning on each, so an owner can import first and register after; the
 * deployment is what refuses them. A function named through stage variables is judged only when
 * deploying, when the stage's variables are known.
 */
final class FunctionWarnings {
  private FunctionWarnings() {}

  static void add(ImportedApi imported, FunctionStore functions, Findings findings) {
    Set<String> wanted = new LinkedHashSet<>();
    for (ImportedRoute route : imported.routes()) {
      String reference = route.integration().function();
      if (reference != null && !FunctionNames.hasVariables(reference)) {
        wanted.add(FunctionNames.withoutLatest(reference));
        wanted.add(FunctionNames.unqualified(reference));
      }
    }
    for (ImportedAuthorizer authorizer : imported.authorizers()) {
      String reference = authorizer.spec().function();
      if (reference != null && !FunctionNames.hasVariables(reference)) {
        wanted.add(FunctionNames.withoutLatest(reference));
        wanted.add(FunctionNames.unqualified(reference));
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    Set<String> registered = new HashSet<>();
    functions.findAll(wanted).stream().map(RegisteredFunction::name).forEach(registered::add);
    for (ImportedRoute route : imported.routes()) {
      String reference = route.integration().function();
      if (reference == null || FunctionNames.hasVariables(reference)) {
        continue;
      }
      String name = FunctionNames.withoutLatest(reference);
      if (!registered.contains(name) && !registered.contains(FunctionNames.unqualified(name))) {
        findings.warn(
            route.at().then(IntegrationReader.AWS).then("uri"),
            "names function "
                + name
                + ", which is not registered: register it (PUT"
                + " /v1/tenants/{tenantId}/functions/"
                + FunctionNames.unqualified(name)
                + ") before deploying; a deployment naming it is refused");
      }
    }
    for (ImportedAuthorizer authorizer : imported.authorizers()) {
      String reference = authorizer.spec().function();
      if (reference == null || FunctionNames.hasVariables(reference)) {
        continue;
      }
      String name = FunctionNames.withoutLatest(reference);
      if (!registered.contains(name) && !registered.contains(FunctionNames.unqualified(name))) {
        findings.warn(
            authorizer.uriAt(),
            "names function "
                + name
                + ", which is not registered: register it (PUT"
                + " /v1/tenants/{tenantId}/functions/"
                + FunctionNames.unqualified(name)
                + ") before deploying authorizer "
                + authorizer.name()
                + "; a deployment naming it is refused");
      }
    }
  }
}
