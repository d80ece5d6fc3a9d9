package dev.turnpike.gateway.authorizer.impl;

import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.gateway.authorizer.Authorizer;
import dev.turnpike.gateway.authorizer.jwt.JwksCache;
import dev.turnpike.gateway.authorizer.jwt.JwtAuthorizer;
import dev.turnpike.gateway.authorizer.lambda.LambdaAuthorizers;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.integration.UpstreamClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Builds a deployment's authorizers from their config, once per deployment and authorizer (every
 * route naming one shares it), with the node's shared parts: the JWK sets, the Lambda-style
 * authorizers' invoker and the clock.
 */
public final class Authorizers {
  private final JwksCache jwks;
  private final LambdaAuthorizers lambdas;
  private final Clock clock;

  public Authorizers(JwksCache jwks, LambdaAuthorizers lambdas, Clock clock) {
    this.jwks = jwks;
    this.lambdas = lambdas;
    this.clock = clock;
  }

  /**
   * A node's authorizers: issuers' keys and authorizer functions are reached on each tenant's own
   * upstream pool, through the node's egress policy, as integrations are.
   */
  public static Authorizers on(
      Vertx vertx,
      UpstreamClients upstreams,
      EgressGuard egress,
      Clock clock,
      MeterRegistry meters) {
    return new Authorizers(
        new JwksCache(vertx, upstreams::forTenant, egress, clock, JwksCache.Settings.DEFAULTS),
        new LambdaAuthorizers(upstreams, egress, clock, meters),
        clock);
  }

  /** The issuers' keys this node holds, for the node's housekeeping. */
  public JwksCache jwks() {
    return jwks;
  }

  /**
   * @param deployment the deployment the authorizer serves (its tenant, API and stage)
   * @param owner whose authorizer it is: the tenant its calls go out for (egress), and the logs
   * @throws IllegalArgumentException with a message an owner can act on, for a config the gateway
   *     cannot serve; the routes naming it then answer AUTHORIZER_CONFIGURATION_ERROR
   */
  public Authorizer build(
      DeploymentSnapshot deployment, IntegrationOwner owner, AuthorizerConfig config) {
    return switch (config.type()) {
      case JWT -> JwtAuthorizer.of(owner, config, jwks, clock);
      case TOKEN, REQUEST -> lambdas.create(deployment, config);
      case UNKNOWN -> throw new IllegalArgumentException("unsupported authorizer type");
    };
  }
}
