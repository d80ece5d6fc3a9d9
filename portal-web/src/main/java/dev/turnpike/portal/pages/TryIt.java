package dev.turnpike.portal.pages;

import dev.turnpike.portal.api.ControlPlaneApi;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API page's try-it panel: the portal calls the gateway on the developer's behalf, with the key
 * and bearer token they paste (the portal stores neither), at a path under the API's own stage.
 *
 * <p>The target is always the configured gateway ({@code TURNPIKE_PORTAL_GATEWAY_URL}) and only a
 * path under the API's own tenant, API and stage is taken from the form, so the panel cannot be
 * pointed anywhere else. Whatever the tenant's API forwards to is reached by the gateway, never by
 * the portal, and the gateway's egress policy decides what that may be; keep it so: a try-it that
 * called an API's backend itself would bypass that policy from inside the platform.
 *
 * <p>Each call is bounded ({@link TryItLimits}): at most a fixed part of the response body is read
 * (the panel says when it was cut), the whole call has a timeout, and a session has a number of
 * calls a minute; past it the panel says so and no call is made.
 */
public final class TryIt {
  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /** Large enough for any real JWT (Keycloak's run to a few kilobytes), small enough to bound. */
  static final int MAX_TOKEN_LENGTH = 8192;

  static final Pattern PATH = Pattern.compile("/[A-Za-z0-9/_\\-.~%?=&+,;:@!$'()*]{0,1999}");

  private final Vertx vertx;
  private final HttpClient http;
  private final String gatewayUrl;
  private final TryItLimits limits;
  private final SessionRate rate;

  /**
   * @param http the client for try-it calls only, so that they cannot take the connections the
   *     portal needs for the control plane
   */
  public TryIt(Vertx vertx, HttpClient http, String gatewayUrl, TryItLimits limits) {
    this.vertx = vertx;
    this.http = http;
    this.gatewayUrl = gatewayUrl;
    this.limits = limits;
    this.rate = new SessionRate("tryIt", limits.callsPerMinute());
  }

  /** The pasted token without surrounding space or a {@code Bearer } prefix pasted with it. */
  static String bearer(String pasted) {
    if (pasted == null) {
      return "";
    }
    String token = pasted.strip();
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = token.substring(7).strip();
    }
    return token;
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
    String token = bearer(form.get("token"));
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
    if (token.length() > MAX_TOKEN_LENGTH || !token.matches("[\\x21-\\x7e]*")) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "That does not look like a bearer token (printable characters without spaces, at"
                  + " most "
                  + MAX_TOKEN_LENGTH
                  + ")."));
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
    if (!rate.take(ctx.session(), System.currentTimeMillis())) {
      tried.put(
          "error",
          "Too many tries: at most "
              + rate.perMinute()
              + " calls a minute from one session. Wait a moment, then send it again.");
      return Future.succeededFuture(tried);
    }
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setAbsoluteURI(url)
            .putHeader("User-Agent", "turnpike-portal");
    if (!key.isEmpty()) {
      request.putHeader("x-api-key", key);
    }
    if (!token.isEmpty()) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    boolean withBody = !method.equals("GET") && !method.equals("DELETE") && body != null;
    if (withBody) {
      request.putHeader("Content-Type", "application/json");
    }
    return GatewayCall.run(
        vertx, http, limits, request, withBody ? Buffer.buffer(body, "UTF-8") : null, tried);
  }
}
