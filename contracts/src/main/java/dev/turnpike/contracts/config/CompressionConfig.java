package dev.turnpike.contracts.config;

/**
 * An API's compression settings, as API Gateway's {@code minimumCompressionSize}.
 *
 * @param minimumCompressionSize responses with bodies of at least this many bytes are compressed
 *     when the client accepts it (0 to 10,485,760); null for no response compression
 * @param decompressRequests whether request bodies sent with {@code Content-Encoding: gzip} are
 *     decompressed before they reach the integration
 */
public record CompressionConfig(Integer minimumCompressionSize, boolean decompressRequests) {
  /** API Gateway's upper bound for {@code minimumCompressionSize}: 10 MiB. */
  public static final int MAX_MINIMUM_COMPRESSION_SIZE = 10_485_760;

  /**
   * What is wrong with a {@code minimumCompressionSize}, null when it is absent (compression off)
   * or within 0 to 10,485,760.
   */
  public static String minimumSizeProblem(Integer minimumCompressionSize) {
    if (minimumCompressionSize == null
        || (minimumCompressionSize >= 0
            && minimumCompressionSize <= MAX_MINIMUM_COMPRESSION_SIZE)) {
      return null;
    }
    return "must be between 0 and "
        + MAX_MINIMUM_COMPRESSION_SIZE
        + " bytes, or null for no compression";
  }

  /** Settings with nothing to do, as null: a stage without them carries none. */
  public static CompressionConfig of(Integer minimumCompressionSize, boolean decompressRequests) {
    return minimumCompressionSize == null && !decompressRequests
        ? null
        : new CompressionConfig(minimumCompressionSize, decompressRequests);
  }

  /** Whether responses are compressed at all. */
  public boolean compressesResponses() {
    return minimumCompressionSize != null;
  }
}
