package dev.turnpike.telemetry.impl;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OTLP over gRPC with Vert.x's HTTP/2 client: unary calls framed as gRPC asks (one flag byte, a
 * four-byte length, the protobuf message), cleartext HTTP/2 with prior knowledge for {@code http:}
 * collectors (as gRPC servers expect; they do not take an HTTP/1.1 upgrade) and TLS with ALPN for
 * {@code https:}. The status comes from the {@code grpc-status} trailer, or from the headers of a
 * trailers-only answer. The JDK's HTTP client cannot do this: it drops HTTP/2 trailers.
 *
 * <p>It runs on a Vert.x instance of its own with one event loop, so exporting never takes a turn
 * on the service's event loops. A failed export is not retried: the batch processor sends the next
 * batch, and an unreachable collector costs spans, not the service's work.
 */
final class VertxGrpcSender implements GrpcSender {
  private static final int FRAME_HEADER_BYTES = 5;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final GrpcSenderConfig config;
  private final URI endpoint;

  VertxGrpcSender(GrpcSenderConfig config) {
    this.config = config;
    this.endpoint = config.getEndpoint();
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
    boolean tls = "https".equals(endpoint.getScheme());
    HttpClientOptions options =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setSsl(tls)
            .setUseAlpn(tls)
            .setConnectTimeout(
                (int) Math.min(Integer.MAX_VALUE, config.getConnectTimeout().toMillis()));
    if (config.getTrustManager() != null) {
      options.setTrustOptions(TrustOptions.wrap(config.getTrustManager()));
    }
    this.client = vertx.createHttpClient(options);
  }

  @Override
  public void send(
      MessageWriter message, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
    Buffer body;
    try {
      body = frame(message, config.getCompressor());
    } catch (IOException | RuntimeException e) {
      onError.accept(e);
      return;
    }
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(uri())
            .setTimeout(config.getTimeout().toMillis())
            .putHeader("content-type", "application/grpc")
            .putHeader("te", "trailers")
            .putHeader("grpc-timeout", config.getTimeout().toMillis() + "m");
    if (config.getCompressor() != null) {
      request.putHeader("grpc-encoding", config.getCompressor().getEncoding());
    }
    Map<String, List<String>> headers = config.getHeadersSupplier().get();
    if (headers != null) {
      headers.forEach((name, values) -> values.forEach(v -> request.addHeader(name, v)));
    }
    client
        .request(request)
        .compose(out -> out.send(body))
        .compose(in -> in.body().map(answer -> response(in, answer)))
        .onComplete(
            done -> {
              if (done.succeeded()) {
                onResponse.accept(done.result());
              } else {
                onError.accept(done.cause());
              }
            });
  }

  private String uri() {
    String base = endpoint.toString();
    return (base.endsWith("/") ? base : base + "/") + config.getFullMethodName();
  }

  /** gRPC's length-prefixed message: the compressed flag, the length, the bytes. */
  static Buffer frame(MessageWriter message, Compressor compressor) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.getContentLength() + 16);
    if (compressor == null) {
      message.writeMessage(bytes);
    } else {
      try (OutputStream compressed = compressor.compress(nonClosing(bytes))) {
        message.writeMessage(compressed);
      }
    }
    byte[] payload = bytes.toByteArray();
    return Buffer.buffer(FRAME_HEADER_BYTES + payload.length)
        .appendByte((byte) (compressor == null ? 0 : 1))
        .appendInt(payload.length)
        .appendBytes(payload);
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }
    };
  }

  static GrpcResponse response(HttpClientResponse in, Buffer body) {
    String status = in.getTrailer("grpc-status");
    String description = in.getTrailer("grpc-message");
    if (status == null) {
      // A trailers-only answer (an error before any message) carries them as headers.
      status = in.getHeader("grpc-status");
      description = in.getHeader("grpc-message");
    }
    GrpcStatusCode code;
    if (status != null) {
      code = parse(status);
    } else if (in.statusCode() != 200) {
      code = fromHttp(in.statusCode());
      description = "HTTP " + in.statusCode();
    } else {
      code = GrpcStatusCode.UNKNOWN;
      description = "no grpc-status in the answer";
    }
    byte[] message =
        body.length() >= FRAME_HEADER_BYTES
            ? body.getBytes(FRAME_HEADER_BYTES, body.length())
            : new byte[0];
    return new Answer(code, description == null ? "" : description, message);
  }

  private static GrpcStatusCode parse(String status) {
    try {
      return GrpcStatusCode.fromValue(Integer.parseInt(status.trim()));
    } catch (RuntimeException e) {
      return GrpcStatusCode.UNKNOWN;
    }
  }

  /** gRPC's mapping of an HTTP status from something that is not a gRPC server. */
  private static GrpcStatusCode fromHttp(int status) {
    return switch (status) {
      case 400 -> GrpcStatusCode.INTERNAL;
      case 401 -> GrpcStatusCode.UNAUTHENTICATED;
      case 403 -> GrpcStatusCode.PERMISSION_DENIED;
      case 404 -> GrpcStatusCode.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> GrpcStatusCode.UNAVAILABLE;
      default -> GrpcStatusCode.UNKNOWN;
    };
  }

  private record Answer(GrpcStatusCode getStatusCode, String getStatusDescription, byte[] message)
      implements GrpcResponse {
    @Override
    public byte[] getResponseMessage() {
      return message;
    }
  }

  @Override
  public CompletableResultCode shutdown() {
    CompletableResultCode result = new CompletableResultCode();
    Future<Void> closed = client.close().eventually(() -> vertx.close());
    closed.onComplete(done -> result.succeed());
    return result;
  }
}
