package dev.turnpike.controlplane.problem;

/**
 * One invalid part of a request.
 *
 * @param pointer a JSON Pointer (RFC 6901) into the request body, e.g. {@code /routes/0/method}, or
 *     the name of a query parameter
 */
public record FieldError(String pointer, String message) {}
