package dev.turnpike.portal.pages;

import dev.turnpike.portal.api.ControlPlaneApi;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API page's try-it panel: the portal calls the gateway on the developer's behalf, with the key
 * they paste (the portal never stores full keys), at a path under the API's own stage. The target
 * is always the configured gateway, so the panel cannot be pointed at anything else.
 */
public final class TryIt {
  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  static final Pattern PATH = Pattern.compile("/[A-Za-z0-9/_\\-.~%?=&+,;:@!$'()*]{0,1999}");
  private static final int MAX_BODY_SHOWN = 64 * 1024;

  private final WebClient http;
  private final String gatewayUrl;

  public TryIt(WebClient http, String gatewayUrl) {
    this.http = http;
    this.gatewayUrl = gatewayUrl;
  }

  String gatewayBase(String tenant, String api) {
    return gatewayUrl + "/" + tenant + "/" + api;
  }

  Future<Map<String, Object>> call(RoutingContext ctx, String tenant, JsonObject published) {
    MultiMap form = ctx.request().formAttributes();
    String method = form.get("method") == null ? "GET" : form.get("method");
    String stage = form.get("stage");
    String path = form.get("path") == null ? "/" : form.get("path").strip();
    String key = form.get("key") == null ? "" : form.get("key").strip();
    String body = form.get("body");
    Map<String, Object> tried = new HashMap<>();
    tried.put("method", method);
    tried.put("stage", stage);
    tried.put("path", path);
    JsonArray stages = published.getJsonArray("stages", new JsonArray());
    if (!METHODS.contains(method)) {
      return Future.failedFuture(
          new IllegalArgumentException("Choose GET, POST, PUT, PATCH or DELETE."));
    }
    if (stage == null || !stages.contains(stage)) {
      return Future.failedFuture(new IllegalArgumentException("Choose one of the API's stages."));
    }
    if (!PATH.matcher(path).matches() || path.contains("..") || path.startsWith("//")) {
      return Future.failedFuture(
          new IllegalArgumentException("The path must start with / and hold only URL characters."));
    }
    if (key.length() > 256 || !key.matches("[\\x21-\\x7e]*")) {
      return Future.failedFuture(
          new IllegalArgumentException("That does not look like an API key."));
    }
    String url =
        gatewayUrl
            + "/"
            + ControlPlaneApi.segment(tenant)
            + "/"
            + ControlPlaneApi.segment(published.getString("slug"))
            + "/"
            + ControlPlaneApi.segment(stage)
            + path;
    HttpRequest<Buffer> request =
        http.requestAbs(HttpMethod.valueOf(method), url).timeout(30_000).followRedirects(false);
    if (!key.isEmpty()) {
      request.putHeader("x-api-key", key);
    }
    boolean withBody = !method.equals("GET") && !method.equals("DELETE") && body != null;
    long started = System.nanoTime();
    return (withBody
            ? request
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body, "UTF-8"))
            : request.send())
        .map(
            response -> {
              tried.put("status", response.statusCode());
              tried.put("millis", (System.nanoTime() - started) / 1_000_000);
              tried.put("contentType", response.getHeader("Content-Type"));
              tried.put("errorType", response.getHeader("x-amzn-ErrorType"));
              Buffer received = response.body();
              String text =
                  received == null
                      ? ""
                      : new String(
                          received.getBytes(0, Math.min(received.length(), MAX_BODY_SHOWN)),
                          StandardCharsets.UTF_8);
              tried.put("body", text);
              return tried;
            })
        .recover(
            e -> {
              tried.put("error", "The gateway could not be reached: " + e.getMessage());
              return Future.succeededFuture(tried);
            });
  }
}
