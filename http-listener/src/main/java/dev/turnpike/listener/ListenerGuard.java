package dev.turnpike.listener;

import dev.turnpike.listener.impl.ConnectionRefusal;
import dev.turnpike.listener.impl.Http1HeaderDeadline;
import dev.turnpike.listener.impl.Http2HeaderDeadline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces one listener's {@link ListenerLimits} on every connection it accepts: a header read
 * deadline, an idle timeout, a header size limit and a connection cap. One guard serves every
 * {@link HttpServer} of a listener (the gateway runs one per event loop on a shared port), so they
 * share one count. Create the servers with {@link #createServer}.
 *
 * <p>How, in Vert.x 5.0: a connection is only known to Vert.x's public API once it is an HTTP
 * connection, which on a plain port with h2c is after the first request's headers (or the HTTP/2
 * preface) have arrived (with TLS, once its handshake is done). Until then the only clocks on it
 * are Vert.x's TLS handshake timeout and its idle handler, so the options set both to the header
 * read timeout: a connection that says nothing, stalls its handshake, trickles the preface or
 * trickles its first headers is closed then. (Vert.x places that idle handler after its request
 * decoder on a plain port, so header bytes that complete no request do not reset it.) Once the
 * connection is known the guard counts it (closing it at once over the cap), swaps that idle
 * handler for one with the real idle timeout, and puts the header deadline for its requests into
 * the connection's Netty pipeline, which it reaches through Vert.x's {@code HttpServerConnection}
 * (an internal interface, checked by this module's tests). Everything runs on the connection's
 * event loop; nothing blocks.
 */
public final class ListenerGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerGuard.class);
  private static final AttributeKey<Boolean> ADMITTED =
      AttributeKey.valueOf(ListenerGuard.class, "admitted");
  private static final long CAP_WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String name;
  private final ListenerLimits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder refused = new LongAdder();
  private final AtomicLong lastCapWarning =
      new AtomicLong(System.nanoTime() - CAP_WARNING_INTERVAL_NANOS);

  /**
   * @param name the listener, for logs (e.g. {@code gateway traffic})
   */
  public ListenerGuard(String name, ListenerLimits limits) {
    this.name = name;
    this.limits = limits;
  }

  public ListenerLimits limits() {
    return limits;
  }

  /**
   * An HTTP server with {@code options} (copied, not changed) plus this guard's limits, its
   * connections guarded. Set its request handler and listen as usual.
   */
  public HttpServer createServer(Vertx vertx, HttpServerOptions options) {
    return createServer(vertx, options, pipeline -> {});
  }

  /**
   * As {@link #createServer(Vertx, HttpServerOptions)}, and has {@code http1} add its own handlers
   * to the Netty pipeline of each HTTP/1.x connection the guard admits, on its event loop, before
   * Vert.x reads the connection's next request (its first, unless h2c's upgrade handler announced
   * the connection once that head had passed).
   */
  public HttpServer createServer(
      Vertx vertx, HttpServerOptions options, Consumer<ChannelPipeline> http1) {
    return vertx
        .createHttpServer(configure(options))
        .connectionHandler(connection -> accept(connection, http1));
  }

  /** The options Vert.x needs for the guard to work: see the class comment for the idle timeout. */
  HttpServerOptions configure(HttpServerOptions options) {
    return new HttpServerOptions(options)
        .setMaxHeaderSize(limits.maxHeaderBytes())
        .setIdleTimeout((int) limits.headerReadTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setSslHandshakeTimeout(limits.headerReadTimeout().toMillis())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
        .setReadIdleTimeout(0)
        .setWriteIdleTimeout(0);
  }

  /** Connections open now. */
  public int openConnections() {
    return open.get();
  }

  /** Connections closed as they arrived because the listener was at its cap. */
  public long refusedConnections() {
    return refused.sum();
  }

  private void accept(HttpConnection connection, Consumer<ChannelPipeline> http1) {
    Channel channel = ((HttpServerConnection) connection).channelHandlerContext().channel();
    if (channel.attr(ADMITTED).setIfAbsent(Boolean.TRUE) != null) {
      return; // Vert.x announced this channel before (it changed protocol): counted already.
    }
    ChannelPipeline pipeline = channel.pipeline();
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      refused.increment();
      warnAtCap();
      ConnectionRefusal.refuse(pipeline);
      return;
    }
    channel.closeFuture().addListener(closed -> open.decrementAndGet());
    if (pipeline.get(IdleStateHandler.class) != null) {
      pipeline.replace(
          IdleStateHandler.class,
          "idle",
          new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }
    long deadline = limits.headerReadTimeout().toNanos();
    Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
    if (http2 != null) {
      Http2HeaderDeadline.install(channel, http2.connection(), deadline);
    } else {
      Http1HeaderDeadline.install(pipeline, deadline);
      http1.accept(pipeline);
    }
  }

  /** Says so at most once a minute: a flood of refusals must not become a flood of log lines. */
  private void warnAtCap() {
    long last = lastCapWarning.get();
    long now = System.nanoTime();
    if (now - last >= CAP_WARNING_INTERVAL_NANOS && lastCapWarning.compareAndSet(last, now)) {
      LOG.warn(
          "{} listener is at its cap of {} connections; new ones are closed ({} so far)",
          name,
          limits.maxConnections(),
          refused.sum());
    }
  }
}
