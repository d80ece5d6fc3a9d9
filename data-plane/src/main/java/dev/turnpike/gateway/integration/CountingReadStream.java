package dev.turnpike.gateway.integration;

import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Passes a body through while counting its bytes, and fails it with 413 once it grows past a limit,
 * so bodies stream without ever being buffered whole.
 */
public final class CountingReadStream implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final long maxBytes;
  private long bytes;
  private boolean overflowed;
  private Handler<Throwable> exceptionHandler;
  private Handler<Buffer> observer;

  public CountingReadStream(ReadStream<Buffer> source, long maxBytes) {
    this.source = source;
    this.maxBytes = maxBytes;
  }

  public long bytes() {
    return bytes;
  }

  /**
   * Also hands each chunk passed on to {@code observer} (the execution log's copy of the body),
   * null for none.
   */
  public CountingReadStream observe(Handler<Buffer> observer) {
    this.observer = observer;
    return this;
  }

  @Override
  public CountingReadStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public CountingReadStream handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(
        chunk -> {
          if (overflowed) {
            return;
          }
          bytes += chunk.length();
          if (bytes > maxBytes) {
            overflowed = true;
            source.pause();
            if (exceptionHandler != null) {
              exceptionHandler.handle(new GatewayFailure(GatewayResponseType.REQUEST_TOO_LARGE));
            }
            return;
          }
          if (observer != null) {
            observer.handle(chunk);
          }
          handler.handle(chunk);
        });
    return this;
  }

  @Override
  public CountingReadStream pause() {
    source.pause();
    return this;
  }

  @Override
  public CountingReadStream resume() {
    source.resume();
    return this;
  }

  @Override
  public CountingReadStream fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public CountingReadStream endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
