package dev.turnpike.contracts.config;

/**
 * One method on one resource of a deployed API.
 *
 * @param method GET, POST, ... or ANY
 * @param resourcePath e.g. {@code /pets/{petId}} or {@code /{proxy+}}
 */
public record RouteConfig(
    String routeId,
    String method,
    String resourcePath,
    boolean apiKeyRequired,
    IntegrationConfig integration) {}
