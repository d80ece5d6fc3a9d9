package dev.turnpike.controlplane.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Keycloak: an RSA signing key whose public half is served as a JWKS on a local
 * port, and RS256 tokens signed with it. The control plane validates these tokens with its real
 * code.
 */
public final class TestIdentityProvider implements AutoCloseable {
  public static final String AUDIENCE = "turnpike-api";

  private final Vertx vertx;
  private final HttpServer server;
  private final KeyPair key;
  private final String keyId = "test-key-1";
  private volatile boolean serving = true;

  private TestIdentityProvider(Vertx vertx, HttpServer server, KeyPair key) {
    this.vertx = vertx;
    this.server = server;
    this.key = key;
  }

  public static TestIdentityProvider start() {
    try {
      KeyPair key = newRsaKey();
      Vertx vertx = Vertx.vertx();
      TestIdentityProvider[] self = new TestIdentityProvider[1];
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(
                  request -> {
                    if (self[0] == null || !self[0].serving) {
                      request.response().setStatusCode(503).end();
                      return;
                    }
                    request
                        .response()
                        .putHeader("Content-Type", "application/json")
                        .end(self[0].jwks().encode());
                  })
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      self[0] = new TestIdentityProvider(vertx, server, key);
      return self[0];
    } catch (Exception e) {
      throw new IllegalStateException("test identity provider did not start", e);
    }
  }

  static KeyPair newRsaKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.actualPort() + "/realms/turnpike";
  }

  public String jwksUrl() {
    return issuer() + "/protocol/openid-connect/certs";
  }

  /** Makes the JWKS endpoint answer 503, as a provider that is down would. */
  public void stopServingKeys() {
    serving = false;
  }

  JsonObject jwks() {
    RSAPublicKey publicKey = (RSAPublicKey) key.getPublic();
    return new JsonObject()
        .put(
            "keys",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("kid", keyId)
                        .put("kty", "RSA")
                        .put("alg", "RS256")
                        .put("use", "sig")
                        .put("n", unsigned(publicKey.getModulus()))
                        .put("e", unsigned(publicKey.getPublicExponent())))
                // Keycloak also publishes an encryption key; the verifier must skip it.
                .add(
                    new JsonObject()
                        .put("kid", "enc-key")
                        .put("kty", "RSA")
                        .put("alg", "RSA-OAEP")
                        .put("use", "enc")
                        .put("n", unsigned(publicKey.getModulus()))
                        .put("e", unsigned(publicKey.getPublicExponent()))));
  }

  /** A valid access token for a subject, as Keycloak would issue it. */
  public String token(String subject) {
    return sign(claims(subject), key.getPrivate(), keyId);
  }

  public JsonObject claims(String subject) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject()
        .put("iss", issuer())
        .put("aud", AUDIENCE)
        .put("sub", subject)
        .put("email", subject + "@example.com")
        .put("name", "User " + subject)
        .put("iat", now)
        .put("exp", now + Duration.ofMinutes(5).toSeconds());
  }

  /** A token with the given claims, signed with the provider's key. */
  public String sign(JsonObject claims) {
    return sign(claims, key.getPrivate(), keyId);
  }

  /** A token signed by a key the provider never published, under the provider's key id. */
  public String signWithForeignKey(JsonObject claims) {
    try {
      return sign(claims, newRsaKey().getPrivate(), keyId);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JsonObject claims, PrivateKey privateKey, String kid) {
    String header =
        b64(new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", kid).encode());
    String payload = b64(claims.encode());
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(privateKey);
      signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header
          + "."
          + payload
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
