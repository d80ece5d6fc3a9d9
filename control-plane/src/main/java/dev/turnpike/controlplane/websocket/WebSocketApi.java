package dev.turnpike.controlplane.websocket;

import dev.turnpike.contracts.config.ApiProtocol;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API's WebSocket definition, in Turnpike's WebSocket export format: what {@code GET
 * .../websocket} answers is what {@code PUT .../websocket} takes (other fields ignored), so it
 * carries an API's routes between installations.
 *
 * @param protocol always {@link ApiProtocol#WEBSOCKET}: an API with this definition is a WebSocket
 *     API (ignored in what a PUT takes, as are the id and times)
 */
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record WebSocketApi(
    UUID apiId,
    ApiProtocol protocol,
    String routeSelectionExpression,
    List<WebSocketRouteSpec> routes,
    Instant createdAt,
    Instant updatedAt) {
  public WebSocketApi {
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  /** The contract's record of this definition, which the rules judge and deployments freeze. */
  public WebSocketApiConfig config() {
    return new WebSocketApiConfig(
        routeSelectionExpression,
        routes.stream().map(r -> r == null ? null : r.toConfig()).toList());
  }

  /** The definition of {@code config}, in the export format. */
  public static WebSocketApi of(
      UUID apiId, WebSocketApiConfig config, Instant createdAt, Instant updatedAt) {
    return new WebSocketApi(
        apiId,
        ApiProtocol.WEBSOCKET,
        config.routeSelectionExpression(),
        config.routes().stream().map(WebSocketRouteSpec::of).toList(),
        createdAt,
        updatedAt);
  }
}
