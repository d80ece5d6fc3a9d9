package dev.turnpike.controlplane.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates bearer JWTs against the identity provider's published keys (JWKS): signature, issuer,
 * audience and expiry, with a small leeway for clock skew. Keys are fetched at start, refreshed
 * periodically, and refetched (at most once per {@link #MIN_REFETCH}) when a token names a key id
 * not seen yet, which is how a key rotation at the provider shows up.
 */
public final class JwksTokenVerifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JwksTokenVerifier.class);
  static final Duration MIN_REFETCH = Duration.ofSeconds(10);

  /** What tokens must satisfy. */
  public record Config(
      String issuer, String audience, String jwksUrl, Duration leeway, Duration refresh) {}

  /** The token was not accepted; the message is safe to show the client. */
  public static final class InvalidToken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidToken(String message) {
      super(message, null, false, false);
    }
  }

  /** The provider's keys could not be had; no token can be checked now. */
  public static final class KeysUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeysUnavailable(String message) {
      super(message, null, false, false);
    }
  }

  private record KeySet(JWTAuth auth, Set<String> keyIds) {}

  private final Vertx vertx;
  private final Config config;
  private final HttpClient http;
  private volatile KeySet keys;
  private volatile long lastFetchNanos = Long.MIN_VALUE / 2;
  private Future<KeySet> fetching;
  private long refreshTimer = -1;

  public JwksTokenVerifier(Vertx vertx, Config config) {
    this.vertx = vertx;
    this.config = config;
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000));
  }

  /** Fetches the keys and schedules their refresh. A failure is logged; requests retry. */
  public Future<Void> start() {
    refreshTimer =
        vertx.setPeriodic(
            config.refresh().toMillis(),
            id ->
                fetch()
                    .onFailure(
                        e ->
                            LOG.warn(
                                "refreshing the JWKS failed, keeping the last keys: {}",
                                e.getMessage())));
    return fetch()
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn(
                  "the identity provider's keys are not available yet ({}); requests will retry",
                  e.getMessage());
              return Future.succeededFuture();
            });
  }

  public Future<VerifiedToken> verify(String token) {
    String keyId;
    try {
      keyId = keyIdOf(token);
    } catch (RuntimeException e) {
      return Future.failedFuture(new InvalidToken("the bearer token is not a JWT"));
    }
    KeySet current = keys;
    Future<KeySet> ready;
    if (current == null || (keyId != null && !current.keyIds().contains(keyId) && mayRefetch())) {
      ready =
          fetch()
              .recover(
                  e ->
                      current == null
                          ? Future.failedFuture(
                              new KeysUnavailable("the identity provider's keys are not available"))
                          : Future.succeededFuture(current));
    } else {
      ready = Future.succeededFuture(current);
    }
    return ready.compose(set -> validate(set, token));
  }

  private Future<VerifiedToken> validate(KeySet set, String token) {
    return set.auth()
        .authenticate(new TokenCredentials(token))
        .recover(e -> Future.failedFuture(new InvalidToken("the bearer token is not valid")))
        .compose(
            user -> {
              JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
              String subject = claims.getString("sub");
              if (subject == null || subject.isBlank()) {
                return Future.failedFuture(new InvalidToken("the bearer token has no subject"));
              }
              if (!(claims.getValue("exp") instanceof Number)) {
                return Future.failedFuture(new InvalidToken("the bearer token has no expiry"));
              }
              String name = claims.getString("name", claims.getString("preferred_username"));
              // Only a literal true counts: an address the provider never checked proves nothing.
              boolean emailVerified = Boolean.TRUE.equals(claims.getValue("email_verified"));
              return Future.succeededFuture(
                  new VerifiedToken(subject, claims.getString("email"), emailVerified, name));
            });
  }

  private boolean mayRefetch() {
    return System.nanoTime() - lastFetchNanos > MIN_REFETCH.toNanos();
  }

  private synchronized Future<KeySet> fetch() {
    if (fetching != null) {
      return fetching;
    }
    lastFetchNanos = System.nanoTime();
    Future<KeySet> attempt =
        http.request(
                new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(config.jwksUrl()))
            .compose(
                request ->
                    request
                        .putHeader("Accept", "application/jwk-set+json, application/json")
                        .send()
                        .compose(
                            response ->
                                response.statusCode() == 200
                                    ? response.body()
                                    : Future.failedFuture(
                                        "JWKS answered HTTP " + response.statusCode())))
            .map(this::toKeySet)
            .onSuccess(set -> keys = set);
    fetching = attempt;
    attempt.onComplete(
        done -> {
          synchronized (this) {
            fetching = null;
          }
        });
    return attempt;
  }

  private KeySet toKeySet(Buffer body) {
    JsonArray published = new JsonObject(body).getJsonArray("keys", new JsonArray());
    List<JsonObject> usable = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Object entry : published) {
      if (!(entry instanceof JsonObject key)) {
        continue;
      }
      String kty = key.getString("kty", "");
      String use = key.getString("use", "sig");
      // Only public signature keys: a symmetric ("oct") key in a JWKS would let anyone who read
      // the JWKS sign tokens.
      if (!"sig".equals(use) || !Set.of("RSA", "EC", "OKP").contains(kty)) {
        continue;
      }
      usable.add(key);
      if (key.getString("kid") != null) {
        ids.add(key.getString("kid"));
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalStateException("the JWKS has no public signature key");
    }
    JWTOptions options =
        new JWTOptions()
            .setIssuer(config.issuer())
            .setAudience(List.of(config.audience()))
            .setLeeway((int) config.leeway().toSeconds());
    JWTAuth auth =
        JWTAuth.create(vertx, new JWTAuthOptions().setJwks(usable).setJWTOptions(options));
    return new KeySet(auth, Set.copyOf(ids));
  }

  private static String keyIdOf(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      throw new IllegalArgumentException("not a JWT");
    }
    byte[] header = Base64.getUrlDecoder().decode(token.substring(0, dot));
    return new JsonObject(new String(header, StandardCharsets.UTF_8)).getString("kid");
  }

  @Override
  public void close() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    http.close();
  }
}
