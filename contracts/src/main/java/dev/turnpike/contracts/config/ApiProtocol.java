package dev.turnpike.contracts.config;

/**
 * What kind of API a deployment serves: request and response ({@code HTTP}, API Gateway's REST and
 * HTTP APIs alike) or long-lived connections that exchange messages ({@code WEBSOCKET}).
 */
public enum ApiProtocol {
  HTTP,
  WEBSOCKET
}
