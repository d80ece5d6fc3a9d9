package dev.turnpike.gateway.integration;

import io.vertx.core.buffer.Buffer;

/**
 * Sees the response body an integration sends the client, chunk by chunk, so the stage cache can
 * keep a copy without a second pass over the body. Called on the request's event loop.
 */
public interface BodyTap {
  /** Nothing is kept: what integrations see when the response is not to be cached. */
  BodyTap NONE =
      new BodyTap() {
        @Override
        public void write(Buffer chunk) {}

        @Override
        public void end() {}
      };

  /** A chunk that was written to the client. */
  void write(Buffer chunk);

  /**
   * The whole body is about to be ended normally (not reset, not abandoned): called before the end
   * is written, so a client's next request finds what this one stored.
   */
  void end();
}
