package dev.turnpike.controlplane.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A blocking HTTP client for the management API under test. */
public final class ApiClient {
  // HTTP/1.1: the JDK client's default h2c upgrade on plain http sometimes misread a large body
  // (ConsoleNotConfiguredTest: "Frame type(32) ... exceeds MAX_FRAME_SIZE" on /v1/openapi.json).
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;

  public ApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** An answer: status, content type and body. */
  public record Answer(int status, String contentType, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Answer get(String token, String path) {
    return send("GET", token, path, null, "application/json");
  }

  public Answer delete(String token, String path) {
    return send("DELETE", token, path, null, "application/json");
  }

  public Answer post(String token, String path, Object body) {
    return send("POST", token, path, body == null ? null : body.toString(), "application/json");
  }

  public Answer put(String token, String path, Object body) {
    return send("PUT", token, path, body == null ? null : body.toString(), "application/json");
  }

  public Answer send(String method, String token, String path, String body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", contentType);
      request.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null),
          response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
