package dev.turnpike.gateway.validation;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body that was read whole (to be validated) replayed as the stream an integration reads:
 * one chunk, then the end, honouring pause and fetch like the live request would.
 */
public final class BufferedBody implements ReadStream<Buffer> {
  private final Buffer body;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean delivered;
  private boolean ended;

  public BufferedBody(Buffer body) {
    this.body = body;
  }

  @Override
  public BufferedBody exceptionHandler(Handler<Throwable> handler) {
    // A buffer in memory cannot fail.
    return this;
  }

  @Override
  public BufferedBody handler(Handler<Buffer> handler) {
    this.handler = handler;
    drain();
    return this;
  }

  @Override
  public BufferedBody pause() {
    demand = 0;
    return this;
  }

  @Override
  public BufferedBody resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public BufferedBody fetch(long amount) {
    demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
    drain();
    return this;
  }

  @Override
  public BufferedBody endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    drain();
    return this;
  }

  private void drain() {
    if (handler == null || demand == 0) {
      return;
    }
    if (!delivered) {
      delivered = true;
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      if (body.length() > 0) {
        handler.handle(body);
      }
    }
    if (!ended && endHandler != null) {
      ended = true;
      endHandler.handle(null);
    }
  }
}
