package dev.turnpike.contracts.config;

/**
 * What the gateway applies at the edge of one API stage, around the route: CORS, the source-address
 * policy and compression. Each part is null when the API does not use it.
 *
 * @param cors the API's CORS configuration (HTTP API {@code corsConfiguration})
 * @param sourceIpPolicy the API's and stage's allow and deny rules on the caller's address
 * @param compression response compression and request decompression
 */
public record EdgeConfig(
    CorsConfiguration cors, SourceIpPolicy sourceIpPolicy, CompressionConfig compression) {
  /** No edge settings: no CORS headers, every address admitted, nothing compressed. */
  public static final EdgeConfig NONE = new EdgeConfig(null, null, null);
}
