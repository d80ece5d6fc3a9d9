package dev.turnpike.controlplane.api;

import dev.turnpike.controlplane.authorizer.RouteAuthorizationRules;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One method on one resource path of an API, and the integration that serves it.
 *
 * @param authorizationType {@code NONE}, {@code JWT} or {@code CUSTOM}, as API Gateway's method
 * @param authorizerId the API's authorizer callers must pass; null for {@code NONE}
 * @param authorizationScopes for {@code JWT}: a token must carry one of these; empty for any
 */
public record Route(
    UUID id,
    UUID apiId,
    String method,
    String resourcePath,
    boolean apiKeyRequired,
    UUID integrationId,
    Instant createdAt,
    String authorizationType,
    UUID authorizerId,
    List<String> authorizationScopes) {
  public Route {
    authorizationType =
        authorizationType == null ? RouteAuthorizationRules.NONE : authorizationType;
    authorizationScopes =
        authorizationScopes == null ? List.of() : List.copyOf(authorizationScopes);
  }

  /** A route open to any caller (that may still require an API key). */
  public Route(
      UUID id,
      UUID apiId,
      String method,
      String resourcePath,
      boolean apiKeyRequired,
      UUID integrationId,
      Instant createdAt) {
    this(
        id,
        apiId,
        method,
        resourcePath,
        apiKeyRequired,
        integrationId,
        createdAt,
        RouteAuthorizationRules.NONE,
        null,
        List.of());
  }

  /** This route with another authorization. */
  public Route authorizedBy(String type, UUID authorizer, List<String> scopes) {
    return new Route(
        id,
        apiId,
        method,
        resourcePath,
        apiKeyRequired,
        integrationId,
        createdAt,
        type,
        authorizer,
        scopes);
  }
}
