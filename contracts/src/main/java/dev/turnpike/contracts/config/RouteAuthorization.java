package dev.turnpike.contracts.config;

import java.util.List;

/**
 * The authorizer a route's callers must pass, as a method's {@code authorizationType} + {@code
 * authorizerId} + {@code authorizationScopes} in API Gateway. A route without one is open (it may
 * still require an API key).
 *
 * @param authorizerId one of the snapshot's {@link DeploymentSnapshot#authorizers()}
 * @param scopes for a JWT authorizer, a token must carry at least one of these in its {@code scope}
 *     or {@code scp} claim; empty for no scope check
 */
public record RouteAuthorization(String authorizerId, List<String> scopes) {
  public RouteAuthorization {
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }
}
