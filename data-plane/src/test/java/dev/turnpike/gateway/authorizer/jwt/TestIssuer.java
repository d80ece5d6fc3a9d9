package dev.turnpike.gateway.authorizer.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenID issuer for tests, on a free loopback port: its discovery document, its JWK set (the
 * public halves of keys generated here), and tokens signed with them. Counts every fetch, and can
 * hold its JWK set answers until released, so a test sees requests wait for one fetch.
 */
public final class TestIssuer implements AutoCloseable {
  public static final String AUDIENCE = "turnpike-api";

  // Generated once per test JVM: an RSA key pair takes up to seconds on a busy machine.
  private static final RSAKey RSA_KEY;
  private static final ECKey EC_KEY;

  static {
    try {
      RSA_KEY = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      EC_KEY = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    } catch (JOSEException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  public final RSAKey rsa;
  public final ECKey ec;
  public final AtomicInteger discoveryFetches = new AtomicInteger();
  public final AtomicInteger jwksFetches = new AtomicInteger();

  private final Vertx vertx;
  private final HttpServer server;
  private final List<JWK> published = new CopyOnWriteArrayList<>();
  private volatile String jwksUri;
  private volatile Promise<Void> gate;

  private TestIssuer(Vertx vertx) {
    this.vertx = vertx;
    this.rsa = RSA_KEY;
    this.ec = EC_KEY;
    published.add(rsa.toPublicJWK());
    published.add(ec.toPublicJWK());
    this.server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  switch (request.path()) {
                    case JwksFetcher.DISCOVERY_PATH -> {
                      discoveryFetches.incrementAndGet();
                      request
                          .response()
                          .putHeader("content-type", "application/json")
                          .end(
                              new JsonObject()
                                  .put("issuer", issuer())
                                  .put("jwks_uri", jwksUri())
                                  .encode());
                    }
                    case "/keys" -> {
                      jwksFetches.incrementAndGet();
                      Promise<Void> held = gate;
                      Future<Void> open = held == null ? Future.succeededFuture() : held.future();
                      open.onComplete(
                          ignored ->
                              request
                                  .response()
                                  .putHeader("content-type", "application/json")
                                  .end(new JWKSet(published).toString(true)));
                    }
                    default -> request.response().setStatusCode(404).end();
                  }
                });
  }

  public static TestIssuer start(Vertx vertx) throws Exception {
    TestIssuer issuer = new TestIssuer(vertx);
    issuer
        .server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return issuer;
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private String jwksUri() {
    return jwksUri != null ? jwksUri : issuer() + "/keys";
  }

  /** Makes the discovery document point its {@code jwks_uri} elsewhere. */
  public void jwksUri(String uri) {
    this.jwksUri = uri;
  }

  /** The JWK set publishes these (public halves) from now on. */
  public void publish(JWK... keys) {
    published.clear();
    for (JWK key : keys) {
      published.add(key.toPublicJWK());
    }
  }

  /** Holds JWK set answers until {@link #release}. */
  public void hold() {
    gate = Promise.promise();
  }

  public void release() {
    Promise<Void> held = gate;
    gate = null;
    if (held != null) {
      vertx.runOnContext(ignored -> held.tryComplete());
    }
  }

  /** Claims that pass every rule at {@code now}: this issuer, the audience, an hour to live. */
  public JWTClaimsSet.Builder claims(Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer())
        .subject("user-7")
        .audience(AUDIENCE)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(3600)));
  }

  /** A token signed with the RSA key (RS256). */
  public String token(JWTClaimsSet claims) {
    return sign(rsa, JWSAlgorithm.RS256, claims);
  }

  /** A token signed with {@code key} under {@code alg}, its header naming the key's id. */
  public static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    try {
      JWSSigner signer =
          key instanceof RSAKey rsaKey ? new RSASSASigner(rsaKey) : new ECDSASigner((ECKey) key);
      SignedJWT jwt =
          new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    release();
    server.close().toCompletionStage().toCompletableFuture().join();
  }
}
