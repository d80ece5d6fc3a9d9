package dev.turnpike.gateway.integration;

/**
 * Where a call was served: the deployed API, stage and route, as {@code $context.apiId}, {@code
 * stage}, {@code resourceId} and {@code resourcePath} read them.
 *
 * @param resourceId the route's id in the deployment
 * @param resourcePath the route's resource as deployed, e.g. {@code /pets/{petId}}
 */
public record CallSite(String apiId, String stage, String resourceId, String resourcePath) {}
