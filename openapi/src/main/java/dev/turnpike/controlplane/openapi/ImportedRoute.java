package dev.turnpike.controlplane.openapi;

import java.util.List;

/**
 * One operation of a document: the route it becomes and its integration.
 *
 * @param validator null when the operation's requests are not validated
 * @param at the operation in the document, for problems found later against the stored API
 * @param authorizer the security scheme (an imported authorizer) callers must pass; null for none
 * @param scopes the scopes its {@code security} requirement lists for that scheme
 */
record ImportedRoute(
    String method,
    String resourcePath,
    boolean apiKeyRequired,
    IntegrationSpec integration,
    RequestValidator validator,
    Pointer at,
    String authorizer,
    List<String> scopes) {
  ImportedRoute {
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }

  /** An operation without an authorizer. */
  ImportedRoute(
      String method,
      String resourcePath,
      boolean apiKeyRequired,
      IntegrationSpec integration,
      RequestValidator validator,
      Pointer at) {
    this(method, resourcePath, apiKeyRequired, integration, validator, at, null, List.of());
  }

  String key() {
    return method + " " + resourcePath;
  }

  /** The operation's path item in the document. */
  Pointer pathAt() {
    return new Pointer(at.text().substring(0, at.text().lastIndexOf('/')));
  }
}
