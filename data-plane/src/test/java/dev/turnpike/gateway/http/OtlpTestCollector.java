package dev.turnpike.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenTelemetry collector for tests: OTLP/HTTP on port 0, decoding each protobuf {@code
 * ExportTraceServiceRequest} (opentelemetry-proto's {@code trace/v1} messages, read by field
 * number) into the spans it carries.
 */
final class OtlpTestCollector implements AutoCloseable {
  /** One received span: ids in hex (parent empty for a root), attributes as text. */
  record ReceivedSpan(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      int kind,
      Map<String, String> attributes) {}

  final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private OtlpTestCollector(HttpServer server) {
    this.server = server;
  }

  static OtlpTestCollector start(Vertx vertx) {
    OtlpTestCollector[] self = new OtlpTestCollector[1];
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              self[0].contentTypes.add(request.getHeader("content-type"));
                              self[0].receive(body);
                              request
                                  .response()
                                  .putHeader("content-type", "application/x-protobuf")
                                  .end();
                            }));
    self[0] = new OtlpTestCollector(server);
    GatewayRig.await(server.listen(0, "127.0.0.1"));
    return self[0];
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/traces";
  }

  private void receive(Buffer body) {
    // ExportTraceServiceRequest.resource_spans = 1 -> ResourceSpans.scope_spans = 2
    //   -> ScopeSpans.spans = 2 -> Span
    Proto request = new Proto(body.getBytes());
    while (request.next()) {
      if (request.field == 1) {
        Proto resourceSpans = request.message();
        while (resourceSpans.next()) {
          if (resourceSpans.field == 2) {
            Proto scopeSpans = resourceSpans.message();
            while (scopeSpans.next()) {
              if (scopeSpans.field == 2) {
                spans.add(span(scopeSpans.message()));
              } else {
                scopeSpans.skip();
              }
            }
          } else {
            resourceSpans.skip();
          }
        }
      } else {
        request.skip();
      }
    }
  }

  private static ReceivedSpan span(Proto span) {
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    int kind = 0;
    Map<String, String> attributes = new LinkedHashMap<>();
    HexFormat hex = HexFormat.of();
    while (span.next()) {
      switch (span.field) {
        case 1 -> traceId = hex.formatHex(span.bytes());
        case 2 -> spanId = hex.formatHex(span.bytes());
        case 4 -> parent = hex.formatHex(span.bytes());
        case 5 -> name = new String(span.bytes(), java.nio.charset.StandardCharsets.UTF_8);
        case 6 -> kind = (int) span.varint;
        case 9 -> {
          Proto keyValue = span.message();
          String key = null;
          String value = null;
          while (keyValue.next()) {
            if (keyValue.field == 1) {
              key = new String(keyValue.bytes(), java.nio.charset.StandardCharsets.UTF_8);
            } else if (keyValue.field == 2) {
              value = anyValue(keyValue.message());
            } else {
              keyValue.skip();
            }
          }
          attributes.put(key, value);
        }
        default -> span.skip();
      }
    }
    return new ReceivedSpan(traceId, spanId, parent, name, kind, attributes);
  }

  /** AnyValue: string 1, bool 2, int 3, double 4; others as "?". */
  private static String anyValue(Proto value) {
    String text = "?";
    while (value.next()) {
      switch (value.field) {
        case 1 -> text = new String(value.bytes(), java.nio.charset.StandardCharsets.UTF_8);
        case 2 -> text = Boolean.toString(value.varint != 0);
        case 3 -> text = Long.toString(value.varint);
        case 4 -> text = Double.toString(Double.longBitsToDouble(value.fixed));
        default -> value.skip();
      }
    }
    return text;
  }

  @Override
  public void close() {
    GatewayRig.await(server.close());
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

    /** The value was consumed by {@link #next}; nothing more to do. */
    void skip() {}

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
