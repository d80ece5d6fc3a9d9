package dev.turnpike.gateway.runtime;

import dev.turnpike.gateway.authorizer.RouteAuthorizer;
import dev.turnpike.gateway.cache.RouteCache;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.observability.RouteMeters;
import dev.turnpike.gateway.throttle.GcraLimiter;
import dev.turnpike.gateway.validation.RequestCheck;

/**
 * One deployed method on one resource, ready to serve.
 *
 * @param routeKey {@code "GET /pets/{petId}"}, as metering and access logs name the route
 * @param methodKey {@code "/pets/{petId}/GET"}, as per-method throttles are keyed
 * @param stageMethodLimiter the stage's per-method limit, null when none
 * @param integration null when the deployment's integration or validator could not be built; the
 *     route then answers a configuration error instead of failing the whole deployment
 * @param check the request validator, null when the route has none
 * @param method the route's method as deployed ({@code ANY} included)
 * @param resourcePath the route's resource, e.g. {@code /pets/{petId}}
 * @param authorizer the authorizer callers must pass and its scopes; null when the route has none
 * @param cache how the route uses the stage's response cache; null when it caches nothing
 * @param meters the route's own meters (or its stage's {@code other} route's); null for the
 *     WebSocket handshake and {@code @connections}, which the stage's meters count alone
 */
public record RouteRuntime(
    String routeId,
    String routeKey,
    String methodKey,
    boolean apiKeyRequired,
    Integration integration,
    GcraLimiter stageMethodLimiter,
    RequestCheck check,
    String method,
    String resourcePath,
    RouteAuthorizer authorizer,
    RouteCache cache,
    RouteMeters meters) {}
