package dev.turnpike.gateway.authorizer.impl;

import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.gateway.authorizer.Authorizer;
import dev.turnpike.gateway.authorizer.jwt.JwksCache;
import dev.turnpike.gateway.authorizer.jwt.JwtAuthorizer;
import dev.turnpike.gateway.integration.IntegrationOwner;
import java.time.Clock;

/**
 * Builds a deployment's authorizers from their config, once per deployment and authorizer (every
 * route naming one shares it), with the node's shared parts: the JWK sets and the clock.
 */
public final class Authorizers {
  private final JwksCache jwks;
  private final Clock clock;

  public Authorizers(JwksCache jwks, Clock clock) {
    this.jwks = jwks;
    this.clock = clock;
  }

  /**
   * @param owner whose authorizer it is: the tenant its calls go out for (egress), and the logs
   * @throws IllegalArgumentException with a message an owner can act on, for a config the gateway
   *     cannot serve; the routes naming it then answer AUTHORIZER_CONFIGURATION_ERROR
   */
  public Authorizer build(IntegrationOwner owner, AuthorizerConfig config) {
    return switch (config.type()) {
      case JWT -> JwtAuthorizer.of(owner, config, jwks, clock);
      case TOKEN, REQUEST ->
          throw new IllegalArgumentException(
              "Lambda-style "
                  + config.type()
                  + " authorizers are wired separately and not served by this build");
      case UNKNOWN -> throw new IllegalArgumentException("unsupported authorizer type");
    };
  }
}
