package dev.turnpike.portal.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The control plane's portal API ({@code /v1/portal/{tenant}/...}), called with the signed-in
 * developer's own access token (token relay) or none for public pages. The portal has no database:
 * everything it shows comes through here, and the control plane decides what a developer may see.
 */
public final class ControlPlaneApi {
  private final WebClient http;
  private final String baseUrl;

  public ControlPlaneApi(WebClient http, String baseUrl) {
    this.http = http;
    this.baseUrl = baseUrl;
  }

  /** {@code /v1/portal/{tenant}} plus the rest, with the tenant encoded. */
  public static String portal(String tenant, String rest) {
    return "/v1/portal/" + URLEncoder.encode(tenant, StandardCharsets.UTF_8) + rest;
  }

  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The answer's JSON: an object, or null for 204. */
  public Future<JsonObject> get(String path, String token) {
    return send(HttpMethod.GET, path, token, null);
  }

  public Future<JsonObject> post(String path, String token, JsonObject body) {
    return send(HttpMethod.POST, path, token, body == null ? new JsonObject() : body);
  }

  public Future<JsonObject> put(String path, String token, JsonObject body) {
    return send(HttpMethod.PUT, path, token, body);
  }

  public Future<JsonObject> delete(String path, String token) {
    return send(HttpMethod.DELETE, path, token, null);
  }

  private Future<JsonObject> send(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request =
        http.requestAbs(method, baseUrl + path)
            .putHeader("Accept", "application/json")
            .timeout(30_000);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    Future<HttpResponse<Buffer>> sent =
        body == null ? request.send() : request.sendJsonObject(body);
    return sent.recover(
            e ->
                Future.failedFuture(
                    new ApiError(502, "The management service cannot be reached", null, null)))
        .compose(ControlPlaneApi::read);
  }

  private static Future<JsonObject> read(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status == 204) {
      return Future.succeededFuture(null);
    }
    JsonObject json;
    try {
      json = response.body() == null ? new JsonObject() : response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      json = new JsonObject();
    }
    if (status / 100 == 2) {
      return Future.succeededFuture(json);
    }
    return Future.failedFuture(
        new ApiError(
            status,
            json.getString("detail", "The request failed (HTTP " + status + ")"),
            json.getString("requestId"),
            json.getJsonArray("errors")));
  }
}
