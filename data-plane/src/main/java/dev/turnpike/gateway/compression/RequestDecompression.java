package dev.turnpike.gateway.compression;

import dev.turnpike.gateway.integration.CountingReadStream;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies sent with {@code Content-Encoding: gzip} to an API that asks for them decompressed
 * ({@code decompressRequests}): read whole, inflated on a worker thread (never on the event loop)
 * and handed to the integration as a plain body with its new length. Both the compressed and the
 * inflated size are bounded by the node's body limit, so a gzip bomb is refused with 413 after at
 * most that many bytes were inflated. Bodies in other encodings pass through untouched.
 */
public final class RequestDecompression {
  private static final int CHUNK = 64 * 1024;

  private RequestDecompression() {}

  /** Whether {@code request} carries a gzip body (one encoding only, as API Gateway accepts). */
  public static boolean isGzip(HttpServerRequest request) {
    String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
    if (encoding == null) {
      return false;
    }
    String value = encoding.strip();
    return value.equalsIgnoreCase("gzip") || value.equalsIgnoreCase("x-gzip");
  }

  /**
   * Reads {@code body} (the request's, already counting against {@code maxBytes}) and inflates it;
   * on success the request's head says what the integration now gets: no Content-Encoding and the
   * inflated length. Fails with a {@link GatewayFailure}: 413 past {@code maxBytes}, 400 for a body
   * that is not gzip.
   */
  public static Future<Buffer> inflate(
      HttpServerRequest request, CountingReadStream body, long maxBytes) {
    Promise<Buffer> read = Promise.promise();
    Buffer compressed = Buffer.buffer();
    body.exceptionHandler(
        error ->
            read.tryFail(
                error instanceof GatewayFailure failure
                    ? failure
                    : new GatewayFailure(GatewayResponseType.BAD_REQUEST_BODY)));
    body.handler(compressed::appendBuffer);
    body.endHandler(ignored -> read.tryComplete(compressed));
    body.resume();
    Vertx vertx = Vertx.currentContext().owner();
    return read.future()
        .compose(whole -> vertx.executeBlocking(() -> inflate(whole.getBytes(), maxBytes), false))
        .map(
            inflated -> {
              request.headers().remove(HttpHeaders.CONTENT_ENCODING);
              request
                  .headers()
                  .set(HttpHeaders.CONTENT_LENGTH, Integer.toString(inflated.length()));
              return inflated;
            });
  }

  /** Inflates a gzip body (members concatenated as gzip allows), refusing more than maxBytes. */
  static Buffer inflate(byte[] compressed, long maxBytes) {
    Buffer out = Buffer.buffer();
    byte[] chunk = new byte[CHUNK];
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), CHUNK)) {
      long total = 0;
      int n;
      while ((n = in.read(chunk)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new GatewayFailure(GatewayResponseType.REQUEST_TOO_LARGE);
        }
        out.appendBytes(chunk, 0, n);
      }
    } catch (IOException e) {
      throw new GatewayFailure(
          GatewayResponseType.BAD_REQUEST_BODY, "Request body is not valid gzip");
    }
    return out;
  }
}
