package dev.turnpike.gateway.authorizer;

import io.vertx.core.Future;

/**
 * Decides whether one call may go on, the chain's step between the route match and the API key
 * (ARCHITECTURE.md's order). Called on the event loop: an implementation never blocks; what takes
 * time (a key fetch, a function call) completes the future later.
 *
 * <p>The future succeeds with the caller's {@link Authorization}, or fails with a {@link
 * dev.turnpike.gateway.response.GatewayFailure} of type {@code UNAUTHORIZED} (no or bad identity),
 * {@code ACCESS_DENIED} (an explicit deny or a missing scope, with API Gateway's message), {@code
 * EXPIRED_TOKEN}, {@code AUTHORIZER_FAILURE} (the authorizer erred, timed out or answered
 * malformed) or {@code AUTHORIZER_CONFIGURATION_ERROR}; never with anything else.
 */
public interface Authorizer {
  Future<Authorization> authorize(AuthorizationRequest request);
}
