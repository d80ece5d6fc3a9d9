package dev.turnpike.gateway.http;

import dev.turnpike.contracts.config.AccessLogFields;
import io.vertx.core.json.JsonObject;
import java.io.Writer;
import java.util.List;
import java.util.Set;

/**
 * One line per request: the stage owner's format ({@link FormattedAccessLine}) when the stage has
 * one, else JSON with a configurable field list, the node's or the stage's own. Lines are handed to
 * a writer thread through a bounded queue, because an event loop must never wait on a terminal or a
 * disk; when the queue is full a line is dropped and counted rather than slowing traffic down.
 */
public final class AccessLog implements AutoCloseable {
  /** Every field the access log knows, in the order of the default field list. */
  public static final List<String> ALL_FIELDS = AccessLogFields.ALL;

  private final List<String> fields;
  private final LineWriter lines;
  private volatile AccessLogShipper shipper;

  /**
   * @throws IllegalArgumentException naming an unknown field
   */
  public AccessLog(List<String> fields, Writer out, int queueCapacity) {
    this(fields, LineWriter.to(out), queueCapacity);
  }

  private AccessLog(List<String> fields, LineWriter.Output out, int queueCapacity) {
    Set<String> known = Set.copyOf(ALL_FIELDS);
    for (String field : fields) {
      if (!known.contains(field)) {
        throw new IllegalArgumentException(
            "unknown access log field '" + field + "'; known: " + ALL_FIELDS);
      }
    }
    this.fields = List.copyOf(fields);
    this.lines = new LineWriter("turnpike-access-log", out, queueCapacity);
  }

  public static AccessLog toStdout(List<String> fields) {
    return new AccessLog(fields, LineWriter.toStdout(), 65_536);
  }

  public long dropped() {
    return lines.dropped();
  }

  /** Also ships owner-formatted lines to their tenant's Kafka topic, null for stdout only. */
  public void shipTo(AccessLogShipper shipper) {
    this.shipper = shipper;
  }

  /**
   * The stage owner's format when the stage has one (as API Gateway writes {@code
   * accessLogSettings.format}), also shipped to the tenant's topic when the node ships them; else
   * the JSON fields.
   */
  void log(Exchange exchange) {
    if (exchange.stage != null && exchange.stage.accessLogFormat() != null) {
      String line =
          FormattedAccessLine.render(exchange.stage.accessLogFormat(), exchange, System.nanoTime());
      offer(line);
      AccessLogShipper shipper = this.shipper;
      if (shipper != null) {
        shipper.offer(exchange.stage.deployment().tenantSlug(), line);
      }
      return;
    }
    offer(jsonLine(exchange));
  }

  private String jsonLine(Exchange exchange) {
    JsonObject line = new JsonObject();
    for (String field : fieldsFor(exchange)) {
      Object value = valueOf(field, exchange);
      if (value != null) {
        line.put(field, value);
      }
    }
    return line.encode();
  }

  private void offer(String line) {
    lines.offer(line);
  }

  /**
   * A stage's own field list (set on the stage, carried by its deployment) wins over the node's; a
   * field this node does not know is left out rather than failing the request.
   */
  private List<String> fieldsFor(Exchange exchange) {
    if (exchange.stage != null) {
      List<String> own = exchange.stage.deployment().accessLogFields();
      if (!own.isEmpty()) {
        return own;
      }
    }
    return fields;
  }

  private static Object valueOf(String field, Exchange exchange) {
    return switch (field) {
      case "requestId" -> exchange.requestIdText;
      case "time" -> java.time.Instant.ofEpochMilli(exchange.startEpochMillis).toString();
      case "tenant" -> exchange.stage == null ? null : exchange.stage.deployment().tenantSlug();
      case "api" -> exchange.stage == null ? null : exchange.stage.deployment().apiSlug();
      case "stage" -> exchange.stage == null ? null : exchange.stage.stage();
      case "method" -> exchange.request.method().name();
      case "path" -> exchange.request.path();
      case "route" -> exchange.route == null ? null : exchange.route.routeKey();
      case "keyPrefix" -> exchange.keyPrefix();
      case "status" -> exchange.status;
      case "outcome" -> exchange.outcome.name();
      case "latencyMs" -> (System.nanoTime() - exchange.startNanos) / 1_000_000.0;
      case "integrationLatencyMs" -> exchange.integrationNanos / 1_000_000.0;
      case "bytesIn" -> exchange.bytesIn;
      case "bytesOut" -> exchange.bytesOut;
      case "sourceIp" -> exchange.forwarding().clientAddress();
      case "userAgent" -> exchange.request.getHeader("user-agent");
      case "principalId" -> exchange.principalId();
      case "clientCertSubject" ->
          exchange.clientCert == null ? null : exchange.clientCert.subjectDN();
      case "clientCertSerial" ->
          exchange.clientCert == null ? null : exchange.clientCert.serialNumber();
      case "cacheStatus" -> exchange.cacheStatus;
      case "traceId" -> exchange.traceId();
      case "isCanaryRequest" -> exchange.canary;
      default -> null;
    };
  }

  @Override
  public void close() {
    lines.close();
  }
}
