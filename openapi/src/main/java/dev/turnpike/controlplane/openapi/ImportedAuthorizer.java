package dev.turnpike.controlplane.openapi;

import dev.turnpike.controlplane.authorizer.AuthorizerSpec;

/**
 * One authorizer a document's security schemes describe, judged and completed by {@code
 * AuthorizerRules}.
 *
 * @param name the scheme's name, which operations' {@code security} names
 * @param at the scheme's {@code x-amazon-apigateway-authorizer}, for problems found later
 */
record ImportedAuthorizer(String name, AuthorizerSpec spec, Pointer at) {
  /** Where in the document the authorizer's function or endpoint is named. */
  Pointer uriAt() {
    return at.then("authorizerUri");
  }
}
