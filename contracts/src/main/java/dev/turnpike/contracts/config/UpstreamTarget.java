package dev.turnpike.contracts.config;

/**
 * One backend of an upstream.
 *
 * @param url base URL, {@code http} or {@code https}, optionally with a base path the integration's
 *     path is appended to
 * @param weight share of the traffic relative to the other targets, 1 to 1000
 */
public record UpstreamTarget(String url, int weight) {}
