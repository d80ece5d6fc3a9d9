package dev.turnpike.controlplane.openapi;

/**
 * One operation of a document: the route it becomes and its integration.
 *
 * @param validator null when the operation's requests are not validated
 * @param at the operation in the document, for problems found later against the stored API
 */
record ImportedRoute(
    String method,
    String resourcePath,
    boolean apiKeyRequired,
    IntegrationSpec integration,
    RequestValidator validator,
    Pointer at) {
  String key() {
    return method + " " + resourcePath;
  }

  /** The operation's path item in the document. */
  Pointer pathAt() {
    return new Pointer(at.text().substring(0, at.text().lastIndexOf('/')));
  }
}
