package dev.turnpike.listener.impl;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The header read deadline of an HTTP/2 connection: its first request's header block must arrive
 * within the timeout of the connection's settings exchange. Netty creates a stream only once a
 * whole header block (HEADERS and its CONTINUATIONs) is in, so the first stream added ends the
 * wait. Later streams are bounded by the header size limit, the idle timeout and the connection
 * cap: HTTP/2 lets one connection hold one unfinished header block at a time.
 */
public final class Http2HeaderDeadline {
  private Http2HeaderDeadline() {}

  public static void install(Channel channel, Http2Connection connection, long timeoutNanos) {
    if (connection.remote().lastStreamCreated() > 0 || connection.local().lastStreamCreated() > 0) {
      return; // Upgraded from HTTP/1.1: the first request is in already.
    }
    ScheduledFuture<?> timer =
        channel.eventLoop().schedule(() -> channel.close(), timeoutNanos, TimeUnit.NANOSECONDS);
    channel.closeFuture().addListener(closed -> timer.cancel(false));
    connection.addListener(
        new Http2ConnectionAdapter() {
          @Override
          public void onStreamAdded(Http2Stream stream) {
            timer.cancel(false);
          }
        });
  }
}
