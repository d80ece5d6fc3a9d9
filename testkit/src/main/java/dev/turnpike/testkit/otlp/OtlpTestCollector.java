package dev.turnpike.testkit.otlp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An OpenTelemetry collector for tests, on port 0: OTLP/HTTP (protobuf, {@code POST /v1/traces})
 * and OTLP/gRPC ({@code TraceService/Export} over cleartext HTTP/2, answered with a {@code
 * grpc-status} trailer) on the same port. Each {@code ExportTraceServiceRequest}
 * (opentelemetry-proto's {@code trace/v1} messages, read by field number) becomes the spans it
 * carries, each with its resource's {@code service.name}.
 */
public final class OtlpTestCollector implements AutoCloseable {
  /** The gRPC method OTLP exporters call. */
  public static final String GRPC_PATH =
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  /**
   * One received span: ids in hex (parent empty for a root), attributes as text, status code (0
   * unset, 1 ok, 2 error), links as {@code traceId-spanId}.
   */
  public record ReceivedSpan(
      String serviceName,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      int kind,
      Map<String, String> attributes,
      int statusCode,
      List<String> links) {}

  /** How one export arrived: the request path and content type. */
  public record Export(String path, String contentType, String httpVersion) {}

  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<Export> exports = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private OtlpTestCollector(Vertx vertx) {
    this.server =
        vertx
            .createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
            .requestHandler(this::handle);
  }

  public static OtlpTestCollector start(Vertx vertx) {
    OtlpTestCollector collector = new OtlpTestCollector(vertx);
    await(collector.server.listen(0, "127.0.0.1"));
    return collector;
  }

  /** The OTLP/HTTP traces URL. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/traces";
  }

  /** The OTLP/gRPC address. */
  public String grpcEndpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Every span received so far, in arrival order. */
  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** Every export request received so far. */
  public List<Export> exports() {
    return List.copyOf(exports);
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              String contentType = request.getHeader("content-type");
              exports.add(new Export(request.path(), contentType, request.version().name()));
              if (contentType != null && contentType.startsWith("application/grpc")) {
                answerGrpc(request, body);
              } else {
                receive(body.getBytes());
                request.response().putHeader("content-type", "application/x-protobuf").end();
              }
            });
  }

  private void answerGrpc(HttpServerRequest request, Buffer body) {
    if (!GRPC_PATH.equals(request.path()) || body.length() < 5 || body.getByte(0) != 0) {
      // UNIMPLEMENTED for another method, INVALID_ARGUMENT for a compressed or short frame.
      int status = GRPC_PATH.equals(request.path()) ? 3 : 12;
      request
          .response()
          .putHeader("content-type", "application/grpc")
          .putHeader("grpc-status", Integer.toString(status))
          .end();
      return;
    }
    int length = body.getInt(1);
    receive(body.getBytes(5, 5 + length));
    // An empty ExportTraceServiceResponse, then the status as a trailer.
    request
        .response()
        .putHeader("content-type", "application/grpc")
        .putTrailer("grpc-status", "0")
        .end(Buffer.buffer().appendByte((byte) 0).appendInt(0));
  }

  private void receive(byte[] body) {
    // ExportTraceServiceRequest.resource_spans = 1 -> ResourceSpans.resource = 1,
    //   ResourceSpans.scope_spans = 2 -> ScopeSpans.spans = 2 -> Span
    Proto request = new Proto(body);
    while (request.next()) {
      if (request.field != 1) {
        continue;
      }
      Proto resourceSpans = request.message();
      String service = "";
      List<Proto> scopes = new ArrayList<>();
      while (resourceSpans.next()) {
        if (resourceSpans.field == 1) {
          String name = attributes(resourceSpans.message(), 1).get("service.name");
          service = name == null ? "" : name;
        } else if (resourceSpans.field == 2) {
          scopes.add(resourceSpans.message());
        }
      }
      for (Proto scopeSpans : scopes) {
        while (scopeSpans.next()) {
          if (scopeSpans.field == 2) {
            spans.add(span(service, scopeSpans.message()));
          }
        }
      }
    }
  }

  private static ReceivedSpan span(String service, Proto span) {
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    int kind = 0;
    int status = 0;
    Map<String, String> attributes = new LinkedHashMap<>();
    List<String> links = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    while (span.next()) {
      switch (span.field) {
        case 1 -> traceId = hex.formatHex(span.bytes());
        case 2 -> spanId = hex.formatHex(span.bytes());
        case 4 -> parent = hex.formatHex(span.bytes());
        case 5 -> name = new String(span.bytes(), StandardCharsets.UTF_8);
        case 6 -> kind = (int) span.varint;
        case 9 -> keyValue(span.message(), attributes);
        case 13 -> links.add(link(span.message()));
        case 15 -> status = statusCode(span.message());
        default -> {}
      }
    }
    return new ReceivedSpan(
        service, traceId, spanId, parent, name, kind, attributes, status, List.copyOf(links));
  }

  /** Span.Link: trace_id 1, span_id 2. */
  private static String link(Proto link) {
    HexFormat hex = HexFormat.of();
    String traceId = "";
    String spanId = "";
    while (link.next()) {
      if (link.field == 1) {
        traceId = hex.formatHex(link.bytes());
      } else if (link.field == 2) {
        spanId = hex.formatHex(link.bytes());
      }
    }
    return traceId + "-" + spanId;
  }

  /** Status: code 3. */
  private static int statusCode(Proto status) {
    int code = 0;
    while (status.next()) {
      if (status.field == 3) {
        code = (int) status.varint;
      }
    }
    return code;
  }

  /** The KeyValue attributes at {@code field} of a message. */
  private static Map<String, String> attributes(Proto message, int field) {
    Map<String, String> attributes = new LinkedHashMap<>();
    while (message.next()) {
      if (message.field == field) {
        keyValue(message.message(), attributes);
      }
    }
    return attributes;
  }

  private static void keyValue(Proto keyValue, Map<String, String> into) {
    String key = null;
    String value = null;
    while (keyValue.next()) {
      if (keyValue.field == 1) {
        key = new String(keyValue.bytes(), StandardCharsets.UTF_8);
      } else if (keyValue.field == 2) {
        value = anyValue(keyValue.message());
      }
    }
    into.put(key, value);
  }

  /** AnyValue: string 1, bool 2, int 3, double 4; others as "?". */
  private static String anyValue(Proto value) {
    String text = "?";
    while (value.next()) {
      switch (value.field) {
        case 1 -> text = new String(value.bytes(), StandardCharsets.UTF_8);
        case 2 -> text = Boolean.toString(value.varint != 0);
        case 3 -> text = Long.toString(value.varint);
        case 4 -> text = Double.toString(Double.longBitsToDouble(value.fixed));
        default -> {}
      }
    }
    return text;
  }

  @Override
  public void close() {
    await(server.close());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("collector: " + e.getMessage(), e);
    }
  }

  /** Protocol buffers' wire format, one field at a time. */
  private static final class Proto {
    private final byte[] data;
    private int pos;
    private final int end;
    int field;
    int wireType;
    long varint;
    long fixed;
    private int valueStart;
    private int valueEnd;

    Proto(byte[] data) {
      this(data, 0, data.length);
    }

    Proto(byte[] data, int from, int to) {
      this.data = data;
      this.pos = from;
      this.end = to;
    }

    boolean next() {
      if (pos >= end) {
        return false;
      }
      long tag = readVarint();
      field = (int) (tag >>> 3);
      wireType = (int) (tag & 7);
      switch (wireType) {
        case 0 -> varint = readVarint();
        case 1 -> {
          fixed = readFixed(8);
        }
        case 2 -> {
          int length = (int) readVarint();
          valueStart = pos;
          valueEnd = pos + length;
          pos = valueEnd;
        }
        case 5 -> fixed = readFixed(4);
        default -> throw new IllegalStateException("wire type " + wireType);
      }
      return true;
    }

    byte[] bytes() {
      return java.util.Arrays.copyOfRange(data, valueStart, valueEnd);
    }

    Proto message() {
      return new Proto(data, valueStart, valueEnd);
    }

    private long readVarint() {
      long result = 0;
      int shift = 0;
      while (true) {
        byte b = data[pos++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
        shift += 7;
      }
    }

    private long readFixed(int bytes) {
      long result = 0;
      for (int i = 0; i < bytes; i++) {
        result |= (long) (data[pos++] & 0xff) << (8 * i);
      }
      return result;
    }
  }
}
