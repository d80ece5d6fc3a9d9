package dev.turnpike.controlplane.function;

import java.time.Instant;

/**
 * A function a tenant registered: where its Lambda Invoke API is served, and how long it may run.
 *
 * @param name Lambda's function name, optionally qualified by an alias or version ({@code
 *     orders:live}); a qualified registration serves only integrations naming that qualifier
 * @param invokeUrl the base URL of the Invoke API, e.g. {@code http://orders.internal:8080}
 * @param timeoutMillis the most a call may take, 50 to 29,000 (API Gateway's integration bounds)
 */
public record RegisteredFunction(
    String name, String invokeUrl, int timeoutMillis, Instant createdAt, Instant updatedAt) {}
