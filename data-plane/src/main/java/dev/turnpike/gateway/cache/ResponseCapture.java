package dev.turnpike.gateway.cache;

import dev.turnpike.gateway.integration.BodyTap;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Copies a response body as it is sent, up to a bound: a larger body stops being copied at the
 * bound and its copy is let go, so caching never holds more than one entry's worth of a response
 * that will not be stored. Confined to the request's event loop.
 */
public final class ResponseCapture implements BodyTap {
  private final int maxBytes;
  private final Consumer<Buffer> complete;
  private Buffer body = Buffer.buffer();
  private boolean tooLarge;
  private boolean ended;

  /**
   * @param complete takes the whole body of a response that ended within the bound
   */
  public ResponseCapture(int maxBytes, Consumer<Buffer> complete) {
    this.maxBytes = maxBytes;
    this.complete = complete;
  }

  @Override
  public void write(Buffer chunk) {
    if (tooLarge) {
      return;
    }
    if (body.length() + chunk.length() > maxBytes) {
      tooLarge = true;
      body = null;
      return;
    }
    body.appendBuffer(chunk);
  }

  @Override
  public void end() {
    if (ended || tooLarge) {
      return;
    }
    ended = true;
    complete.accept(body);
  }
}
