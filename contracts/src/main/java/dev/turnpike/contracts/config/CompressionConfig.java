package dev.turnpike.contracts.config;

/**
 * An API's compression settings, as API Gateway's {@code minimumCompressionSize}.
 *
 * @param minimumCompressionSize responses with bodies of at least this many bytes are compressed
 *     when the client accepts it (0 to 10,485,760); null for no response compression
 * @param decompressRequests whether request bodies sent with {@code Content-Encoding: gzip} are
 *     decompressed before they reach the integration
 */
public record CompressionConfig(Integer minimumCompressionSize, boolean decompressRequests) {}
