package dev.turnpike.gateway.authorizer;

import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import io.vertx.core.Future;
import java.util.List;

/**
 * A route's authorizer and the scopes it requires, compiled once per deployment. A token that
 * passes its authorizer but grants none of the scopes is API Gateway's 403 {@code Forbidden}.
 *
 * @param authorizer shared by every route naming it in the deployment
 * @param scopes at least one must be granted (see {@link Scopes}); empty for no scope check
 */
public record RouteAuthorizer(Authorizer authorizer, List<String> scopes) {
  private static final Authorizer MISCONFIGURED =
      request ->
          Future.failedFuture(
              new GatewayFailure(GatewayResponseType.AUTHORIZER_CONFIGURATION_ERROR));

  public RouteAuthorizer {
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }

  /**
   * For a route whose authorizer cannot work as deployed: it answers 500 and its backend is never
   * called, rather than the route going open.
   */
  public static RouteAuthorizer misconfigured() {
    return new RouteAuthorizer(MISCONFIGURED, List.of());
  }

  public Future<Authorization> authorize(AuthorizationRequest request) {
    Future<Authorization> decided = authorizer.authorize(request);
    if (scopes.isEmpty()) {
      return decided;
    }
    return decided.compose(
        authorization ->
            Scopes.grantsAny(authorization.claims(), scopes)
                ? Future.succeededFuture(authorization)
                : Future.failedFuture(new GatewayFailure(GatewayResponseType.ACCESS_DENIED)));
  }
}
