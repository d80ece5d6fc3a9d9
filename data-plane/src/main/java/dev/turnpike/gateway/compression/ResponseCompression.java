package dev.turnpike.gateway.compression;

import dev.turnpike.contracts.config.CompressionConfig;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.CompressionOptions;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which responses of a stage are compressed, as API Gateway's {@code minimumCompressionSize}.
 *
 * <p>The encoding itself is Vert.x's (Netty's {@code HttpContentCompressor} on HTTP/1.1; HTTP/2
 * answers stay uncompressed until Vert.x's HTTP/2 encoder decides per stream, see {@link
 * #chooseEncoding}), switched on for the whole listener ({@link #onListener}): it negotiates {@code
 * Accept-Encoding} (br, then gzip), streams chunk by chunk and flushes each one. What it cannot
 * know is the API's wish, so every response is sent as {@code Content-Encoding: identity} (which
 * Vert.x strips before the head goes out and which keeps the compressor off) unless {@link
 * #compresses} admits it just before the head is written.
 *
 * <p>A body is compressed when its declared length is at least the minimum size. A streamed body
 * without a Content-Length is compressed too: its size cannot be known without holding it back, and
 * a body a backend streams is rarely small; an owner who wants no compression sets none.
 */
public final class ResponseCompression {
  /**
   * Content types that are compressed already (or, for event streams, must reach the client chunk
   * by chunk unchanged): compressing them again costs CPU for nothing.
   */
  private static final Set<String> INCOMPRESSIBLE =
      Set.of(
          "application/zip",
          "application/gzip",
          "application/x-gzip",
          "application/x-bzip2",
          "application/x-xz",
          "application/x-7z-compressed",
          "application/x-rar-compressed",
          "application/vnd.rar",
          "application/zstd",
          "application/x-compress",
          "application/java-archive",
          "application/pdf",
          "application/wasm",
          "font/woff",
          "font/woff2",
          "text/event-stream");

  private final int minimumSize;

  private ResponseCompression(int minimumSize) {
    this.minimumSize = minimumSize;
  }

  /** The stage's rules; null when the API compresses nothing, so such a stage pays nothing. */
  public static ResponseCompression compile(CompressionConfig config) {
    if (config == null || !config.compressesResponses()) {
      return null;
    }
    String problem = CompressionConfig.minimumSizeProblem(config.minimumCompressionSize());
    if (problem != null) {
      throw new IllegalArgumentException("minimumCompressionSize " + problem);
    }
    return new ResponseCompression(config.minimumCompressionSize());
  }

  /**
   * Lets a listener compress: gzip always, br when the Brotli library's native part loads here.
   * Nothing is compressed until a response drops its {@code identity} marker.
   */
  public static HttpServerOptions onListener(HttpServerOptions options) {
    List<CompressionOptions> codecs = new ArrayList<>();
    if (brotliAvailable()) {
      codecs.add(StandardCompressionOptions.brotli());
    }
    codecs.add(StandardCompressionOptions.gzip(6, 15, 8));
    return options
        .setCompressionSupported(true)
        .setCompressionContentSizeThreshold(0)
        .setCompressors(codecs);
  }

  /** Whether br is offered; false where the native library cannot load (gzip is then the one). */
  public static boolean brotliAvailable() {
    return Brotli.isAvailable();
  }

  /**
   * Chooses the encoding of {@code response} just before its head is written: leaves it to the
   * compressor (and says the answer varies with {@code Accept-Encoding}) when the stage's rules
   * admit it, marks it {@code identity} otherwise. A response that carries its own encoding (a
   * backend's gzip) is left as it is.
   *
   * @param rules the stage's rules, null when it compresses nothing or is not known
   */
  public static void chooseEncoding(
      HttpServerRequest request, HttpServerResponse response, ResponseCompression rules) {
    MultiMap headers = response.headers();
    if (headers.contains(HttpHeaders.CONTENT_ENCODING)) {
      return;
    }
    if (request.version() == HttpVersion.HTTP_2) {
      // Vert.x 5.0.10's HTTP/2 encoder picks compression per connection, not per stream: after one
      // identity answer it keeps the plain encoder for the connection yet still labels later
      // answers gzip, sending plain bytes under that label. Until the encoder decides per stream
      // (Vert.x 5.0.12, "Move http2 compression handling from connection to stream level"),
      // HTTP/2 answers are sent uncompressed.
      headers.set(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
      return;
    }
    HttpMethod method = request.method();
    int status = response.getStatusCode();
    if (isPassedThrough(method, status)) {
      // The compressor lets these through unread and would leave an identity marker in place.
      return;
    }
    if (rules != null && rules.compresses(method, status, headers)) {
      headers.add(HttpHeaders.VARY, "Accept-Encoding");
      return;
    }
    headers.set(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
  }

  /** Whether a response with this method, status and head may be compressed. */
  boolean compresses(HttpMethod method, int status, MultiMap headers) {
    if (isPassedThrough(method, status) || status == 206) {
      return false;
    }
    if (headers.contains(HttpHeaders.CONTENT_RANGE)) {
      return false;
    }
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      long declared = declared(length);
      if (declared <= 0 || declared < minimumSize) {
        return false;
      }
    }
    return compressible(headers.get(HttpHeaders.CONTENT_TYPE));
  }

  /** What the compressor never encodes: HEAD and CONNECT answers, 1xx, 204 and 304. */
  private static boolean isPassedThrough(HttpMethod method, int status) {
    return method == HttpMethod.HEAD
        || method == HttpMethod.CONNECT
        || status < 200
        || status == 204
        || status == 304;
  }

  private static long declared(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Whether a body of this type is worth compressing: not images, audio, video or archives. */
  static boolean compressible(String contentType) {
    if (contentType == null) {
      return true;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .strip()
            .toLowerCase(Locale.ROOT);
    if (type.startsWith("image/")) {
      // SVG is XML text and compresses well; every other image format is compressed already.
      return type.equals("image/svg+xml") || type.equals("image/bmp");
    }
    if (type.startsWith("video/") || type.startsWith("audio/")) {
      return false;
    }
    return !INCOMPRESSIBLE.contains(type);
  }
}
