package dev.turnpike.gateway.integration;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Sees the response body an integration sends the client, chunk by chunk, so the stage cache can
 * keep a copy without a second pass over the body; and, for a tap that {@link #observesEndpoint()}
 * (the execution log's), the request sent to the backend and the head of its answer. Called on the
 * request's event loop.
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

  /**
   * Whether this tap wants {@link #endpointRequest} and {@link #endpointResponse}: integrations
   * work out what they pass only when it does.
   */
  default boolean observesEndpoint() {
    return false;
  }

  /** The request about to be sent to the backend: its method, absolute URI and headers. */
  default void endpointRequest(String method, String uri, MultiMap headers) {}

  /** The backend's answer's status and headers, as they arrived. */
  default void endpointResponse(int status, MultiMap headers) {}

  /** A chunk that was written to the client. */
  void write(Buffer chunk);

  /**
   * The whole body is about to be ended normally (not reset, not abandoned): called before the end
   * is written, so a client's next request finds what this one stored.
   */
  void end();
}
