package dev.turnpike.gateway.integration.impl;

import dev.turnpike.gateway.integration.BodyTap;
import dev.turnpike.gateway.integration.IntegrationResult;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams a backend response body to the client with back-pressure, counting its bytes. Unlike a
 * generic pipe it stops at once when the client goes away: it resets the backend exchange instead
 * of writing into a closed response, which would throw on the event loop. Confined to the request's
 * event loop, so its fields need no synchronisation.
 */
final class ResponseRelay {
  private final HttpClientResponse from;
  private final HttpServerResponse to;
  private final Promise<IntegrationResult> done;
  private final BodyTap tap;
  private final long declaredBytes;
  private long bytes;
  private boolean ended;

  private ResponseRelay(
      HttpClientResponse from,
      HttpServerResponse to,
      BodyTap tap,
      Promise<IntegrationResult> done) {
    this.from = from;
    this.to = to;
    this.tap = tap;
    this.done = done;
    this.declaredBytes = declaredLength(from.getHeader("content-length"));
  }

  /**
   * Completes {@code done} when the body was sent, or the exchange ended early (reset on either
   * side).
   */
  static void relay(
      HttpClientResponse from,
      HttpServerResponse to,
      BodyTap tap,
      Promise<IntegrationResult> done) {
    new ResponseRelay(from, to, tap, done).start();
  }

  private void start() {
    to.closeHandler(ignored -> abandonBackend());
    from.exceptionHandler(ignored -> abandonClient());
    from.handler(this::forward);
    from.endHandler(ignored -> finish());
  }

  private void forward(Buffer chunk) {
    if (to.closed()) {
      return;
    }
    bytes += chunk.length();
    tap.write(chunk);
    if (bytes == declaredBytes) {
      // The whole declared body is here (for small responses, the first and only chunk): one
      // write of head, body and end instead of a write and then an end.
      ended = true;
      tap.end();
      to.end(chunk).onComplete(ignored -> complete());
      return;
    }
    to.write(chunk);
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(ignored -> from.resume());
    }
  }

  private void finish() {
    if (ended) {
      return;
    }
    if (to.closed()) {
      complete();
      return;
    }
    tap.end();
    to.end().onComplete(ignored -> complete());
  }

  private void abandonBackend() {
    from.request().reset();
    complete();
  }

  /** The backend failed mid-body: the headers are already out, so a reset is the only signal. */
  private void abandonClient() {
    if (!to.closed()) {
      to.reset();
    }
    complete();
  }

  private static long declaredLength(String contentLength) {
    if (contentLength == null) {
      return -1;
    }
    try {
      return Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void complete() {
    done.tryComplete(new IntegrationResult(from.statusCode(), bytes));
  }
}
