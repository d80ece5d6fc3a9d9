package dev.turnpike.gateway.http;

import dev.turnpike.contracts.config.StageExecutionLogging;
import io.vertx.core.json.JsonObject;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Execution logs, API Gateway's per-stage {@code loggingLevel}: for a stage that logs, the lines
 * that say how the gateway ran a request, from {@code Starting execution for request} to {@code
 * Method completed with status}, each a JSON object with the request id, the trace id and the
 * stage. {@code INFO} writes every request's lines, {@code ERROR} those of requests answered 4xx or
 * 5xx; with data tracing the request and response bodies too, each cut at 1 KB. Keys, authorization
 * and cookies are masked (the key by its prefix). Lines go through a bounded queue to stdout, and
 * to the tenant's Kafka topic when the node ships access logs; a full queue drops lines and counts
 * them.
 */
public final class ExecutionLog implements AutoCloseable {
  private final LineWriter lines;
  private volatile AccessLogShipper shipper;

  public ExecutionLog(Writer out, int queueCapacity) {
    this(LineWriter.to(out), queueCapacity);
  }

  private ExecutionLog(LineWriter.Output out, int queueCapacity) {
    this.lines = new LineWriter("turnpike-execution-log", out, queueCapacity);
  }

  public static ExecutionLog toStdout() {
    return new ExecutionLog(LineWriter.toStdout(), 65_536);
  }

  /** Also ships lines to their tenant's Kafka topic, null for stdout only. */
  public void shipTo(AccessLogShipper shipper) {
    this.shipper = shipper;
  }

  /** Lines dropped because the queue was full. */
  public long dropped() {
    return lines.dropped();
  }

  /**
   * The request's lines, when its stage logs and, at {@code ERROR}, when it was answered 4xx/5xx.
   */
  void log(Exchange exchange) {
    ExecutionTrace trace = exchange.execution;
    boolean failed = exchange.status >= 400 || exchange.status == 0;
    if (trace.settings.loggingLevel() == StageExecutionLogging.Level.ERROR && !failed) {
      return;
    }
    JsonObject common =
        new JsonObject()
            .put("time", Instant.now().toString())
            .put("requestId", exchange.requestIdText);
    String traceId = exchange.traceId();
    if (traceId != null) {
      common.put("traceId", traceId);
    }
    common
        .put("tenant", exchange.stage.deployment().tenantSlug())
        .put("api", exchange.stage.deployment().apiSlug())
        .put("stage", exchange.stage.stage());
    AccessLogShipper shipper = this.shipper;
    for (String[] line : lines(exchange, trace, failed)) {
      String text = common.copy().put("level", line[0]).put("message", line[1]).encode();
      lines.offer(text);
      if (shipper != null) {
        shipper.offerExecution(exchange.stage.deployment().tenantSlug(), text);
      }
    }
  }

  private static List<String[]> lines(Exchange exchange, ExecutionTrace trace, boolean failed) {
    List<String[]> out = new ArrayList<>(12);
    info(out, "Starting execution for request: " + exchange.requestIdText);
    info(
        out,
        "HTTP Method: "
            + exchange.request.method().name()
            + ", Resource Path: "
            + trace.scrub(
                exchange.stagePath == null ? exchange.request.path() : exchange.stagePath));
    if (exchange.key != null) {
      info(out, "API Key: " + exchange.keyPrefix() + ExecutionTrace.MASK);
    } else if (exchange.request.getHeader(KeyAdmission.API_KEY_HEADER) != null) {
      info(out, "API Key: " + ExecutionTrace.MASK);
    }
    info(out, "Method request headers: " + trace.headers(exchange.request.headers()));
    if (trace.dataTrace()) {
      info(out, "Method request body before transformations: " + trace.requestBody());
    }
    if (trace.endpointRequest != null) {
      info(out, "Endpoint request URI: " + trace.endpointRequest);
      info(out, "Endpoint request headers: " + trace.endpointRequestHeaders);
    }
    if (trace.endpointStatus != 0) {
      info(out, "Endpoint response status: " + trace.endpointStatus);
      info(out, "Endpoint response headers: " + trace.endpointResponseHeaders);
    }
    if (trace.dataTrace()) {
      info(out, "Method response body after transformations: " + trace.responseBody());
    }
    if (exchange.failure != null) {
      out.add(
          new String[] {
            "ERROR",
            "Execution failed: "
                + exchange.failure.type()
                + ": "
                + trace.scrub(exchange.failure.getMessage())
          });
    } else if (failed && exchange.status >= 500) {
      out.add(new String[] {"ERROR", "Execution failed: status " + exchange.status});
    }
    out.add(
        new String[] {
          failed ? "ERROR" : "INFO", "Method completed with status: " + exchange.status
        });
    return out;
  }

  private static void info(List<String[]> out, String message) {
    out.add(new String[] {"INFO", message});
  }

  @Override
  public void close() {
    lines.close();
  }
}
