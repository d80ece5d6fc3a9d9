package dev.turnpike.gateway.function;

import dev.turnpike.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * The server an invocation may connect to, as the gateway's egress policy decides it for every
 * integration: the HTTP integrations' own admission, handed in by the integration factory so a
 * function's endpoint is judged on the same path. Fails with the {@link
 * dev.turnpike.gateway.response.GatewayFailure} to answer when the policy refuses the target.
 */
@FunctionalInterface
public interface EgressAdmission {
  Future<SocketAddress> admit(RequestOptions options, LogContext log);
}
