package dev.turnpike.portal.pages;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One call of the try-it panel: the response body is streamed and at most {@link
 * TryItLimits#maxBodyBytes} of it kept; past that the call stops reading and resets the request
 * (which closes an HTTP/1.x connection), so the rest is never read, let alone buffered. The whole
 * call, from connecting to the last byte, has {@link TryItLimits#timeout}. Every outcome, failures
 * included, completes the result map the panel shows; everything runs on the caller's event loop.
 */
final class GatewayCall {
  private final Vertx vertx;
  private final TryItLimits limits;
  private final Map<String, Object> tried;
  private final Promise<Map<String, Object>> done = Promise.promise();
  private final Buffer body = Buffer.buffer();
  private final long started = System.nanoTime();
  private HttpClientRequest request;
  private long timer;

  private GatewayCall(Vertx vertx, TryItLimits limits, Map<String, Object> tried) {
    this.vertx = vertx;
    this.limits = limits;
    this.tried = tried;
  }

  /**
   * @param payload the request body, or null for none
   * @param tried what the panel shows; the call adds status, headers, body, time or the error
   */
  static Future<Map<String, Object>> run(
      Vertx vertx,
      HttpClient client,
      TryItLimits limits,
      RequestOptions options,
      Buffer payload,
      Map<String, Object> tried) {
    GatewayCall call = new GatewayCall(vertx, limits, tried);
    call.timer = vertx.setTimer(limits.timeout().toMillis(), id -> call.timedOut());
    client
        .request(options)
        .onComplete(
            opened -> {
              if (opened.failed()) {
                call.fail(opened.cause());
                return;
              }
              call.request = opened.result();
              if (call.done.future().isComplete()) {
                call.request.reset(); // Timed out while waiting for a connection.
                return;
              }
              (payload == null ? call.request.send() : call.request.send(payload))
                  .onSuccess(call::read)
                  .onFailure(call::fail);
            });
    return call.done.future();
  }

  private void read(HttpClientResponse response) {
    if (done.future().isComplete()) {
      return;
    }
    tried.put("status", response.statusCode());
    tried.put("contentType", response.getHeader("Content-Type"));
    tried.put("errorType", response.getHeader("x-amzn-ErrorType"));
    response.exceptionHandler(this::fail);
    response.endHandler(end -> finish(null));
    response.handler(
        chunk -> {
          if (done.future().isComplete()) {
            return;
          }
          int room = limits.maxBodyBytes() - body.length();
          if (chunk.length() <= room) {
            body.appendBuffer(chunk);
            return;
          }
          body.appendBuffer(chunk, 0, room);
          finish(
              "Only the first "
                  + bytes(limits.maxBodyBytes())
                  + " of the response body is shown; the portal stopped reading there.");
          request.reset();
        });
  }

  private void timedOut() {
    if (done.future().isComplete()) {
      return;
    }
    if (tried.containsKey("status")) {
      finish("The body is cut: the rest did not arrive within " + time(limits.timeout()) + ".");
    } else {
      complete("The gateway did not answer within " + time(limits.timeout()) + ".");
    }
    // After completing: the reset fails the request, which must not become the panel's message.
    if (request != null) {
      request.reset();
    }
  }

  private void finish(String cut) {
    if (done.future().isComplete()) {
      return;
    }
    tried.put("body", body.toString(StandardCharsets.UTF_8));
    if (cut != null) {
      tried.put("cut", cut);
    }
    complete(null);
  }

  private void fail(Throwable error) {
    complete("The gateway could not be reached: " + error.getMessage());
  }

  private void complete(String error) {
    if (done.future().isComplete()) {
      return;
    }
    vertx.cancelTimer(timer);
    tried.put("millis", (System.nanoTime() - started) / 1_000_000);
    if (error != null) {
      tried.remove("status");
      tried.put("error", error);
    }
    done.complete(tried);
  }

  static String bytes(int count) {
    return count % 1024 == 0 ? count / 1024 + " KiB" : count + " bytes";
  }

  static String time(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
