package dev.turnpike.gateway.authorizer.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.IntegrationOwner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Fetches an issuer's signing keys as OpenID discovery finds them: {@code
 * {issuer}/.well-known/openid-configuration}, its {@code jwks_uri}, the JWK set there. Both URLs
 * are the tenant's choice, so each request connects only to the address the egress policy admitted
 * for the tenant (as an integration's would), follows no redirect, reads at most {@link
 * #MAX_DOCUMENT_BYTES}, and the whole fetch ends within its timeout. Non-blocking: runs in
 * callbacks on the calling event loop.
 */
final class JwksFetcher {
  static final int MAX_DOCUMENT_BYTES = 256 * 1024;

  /** More keys than any issuer publishes; a set past it is cut, not grown without bound. */
  static final int MAX_KEYS = 32;

  static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

  private final Vertx vertx;
  private final Function<String, HttpClient> clientOfTenant;
  private final EgressGuard egress;
  private final long timeoutMillis;

  JwksFetcher(
      Vertx vertx,
      Function<String, HttpClient> clientOfTenant,
      EgressGuard egress,
      long timeoutMillis) {
    this.vertx = vertx;
    this.clientOfTenant = clientOfTenant;
    this.egress = egress;
    this.timeoutMillis = timeoutMillis;
  }

  /** Why no keys could be had; for the owner's log. */
  static final class KeysUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeysUnavailable(String reason) {
      super(reason, null, false, false);
    }
  }

  static String discoveryUrl(String issuer) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    return base + DISCOVERY_PATH;
  }

  /** Checks that {@code url} is an absolute http(s) URL the client can request. */
  static RequestOptions requestTo(String url) {
    String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new IllegalArgumentException("not an http(s) URL: " + url);
    }
    try {
      return new RequestOptions().setAbsoluteURI(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
  }

  /** The usable signing keys of {@code issuer}, fetched for {@code owner}'s tenant. */
  Future<List<SigningKey>> fetch(IntegrationOwner owner, String issuer) {
    Promise<List<SigningKey>> done = Promise.promise();
    long deadline =
        vertx.setTimer(timeoutMillis, ignored -> done.tryFail(new KeysUnavailable("timed out")));
    get(owner, discoveryUrl(issuer))
        .compose(document -> get(owner, jwksUri(document)))
        .map(JwksFetcher::signingKeys)
        .onComplete(
            result -> {
              vertx.cancelTimer(deadline);
              if (result.succeeded()) {
                done.tryComplete(result.result());
              } else {
                done.tryFail(result.cause());
              }
            });
    return done.future();
  }

  private static String jwksUri(Buffer discovery) {
    JsonObject document;
    try {
      document = new JsonObject(discovery);
    } catch (RuntimeException e) {
      throw new KeysUnavailable("the discovery document is not a JSON object");
    }
    Object uri = document.getValue("jwks_uri");
    if (!(uri instanceof String text)) {
      throw new KeysUnavailable("the discovery document has no jwks_uri");
    }
    return text;
  }

  private static List<SigningKey> signingKeys(Buffer body) {
    JWKSet set;
    try {
      set = JWKSet.parse(body.toString());
    } catch (java.text.ParseException e) {
      throw new KeysUnavailable("the jwks_uri document is not a JWK set: " + e.getMessage());
    }
    List<SigningKey> keys = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      SigningKey key = SigningKey.of(jwk);
      if (key != null && keys.size() < MAX_KEYS) {
        keys.add(key);
      }
    }
    return List.copyOf(keys);
  }

  private Future<Buffer> get(IntegrationOwner owner, String url) {
    RequestOptions options;
    try {
      options = requestTo(url);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new KeysUnavailable(e.getMessage()));
    }
    options
        .setMethod(HttpMethod.GET)
        .setFollowRedirects(false)
        .setConnectTimeout(timeoutMillis)
        .setIdleTimeout(timeoutMillis)
        .putHeader("accept", "application/json");
    HttpClient client = clientOfTenant.apply(owner.tenantId());
    return egress
        .admit(owner, options.getHost(), options.getPort())
        .recover(
            error ->
                Future.failedFuture(
                    new KeysUnavailable(
                        error instanceof EgressGuard.EgressRefusal
                            ? "egress refused " + options.getHost() + ": " + error.getMessage()
                            : "cannot resolve " + options.getHost())))
        .compose(server -> client.request(options.setServer(server)))
        .compose(request -> request.send())
        .compose(response -> read(url, response));
  }

  private static Future<Buffer> read(String url, HttpClientResponse response) {
    if (response.statusCode() != 200) {
      response.request().reset();
      return Future.failedFuture(new KeysUnavailable(url + " answered " + response.statusCode()));
    }
    String declared = response.getHeader("content-length");
    if (declared != null && tooLarge(declared)) {
      response.request().reset();
      return Future.failedFuture(new KeysUnavailable(url + " is larger than allowed"));
    }
    Promise<Buffer> body = Promise.promise();
    Buffer collected = Buffer.buffer();
    response.handler(
        chunk -> {
          if (collected.length() + chunk.length() > MAX_DOCUMENT_BYTES) {
            if (body.tryFail(new KeysUnavailable(url + " is larger than allowed"))) {
              response.request().reset();
            }
          } else {
            collected.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(error -> body.tryFail(new KeysUnavailable(url + ": " + error)));
    response.endHandler(ignored -> body.tryComplete(collected));
    return body.future();
  }

  private static boolean tooLarge(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > MAX_DOCUMENT_BYTES;
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
