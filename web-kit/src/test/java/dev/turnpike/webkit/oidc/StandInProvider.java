package dev.turnpike.webkit.oidc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An OpenID Connect provider on a local port that a test steers: it signs ID tokens with an RSA key
 * it publishes in its JWKS (or with any key a test names), answers the token endpoint with the ID
 * token a test gives it, and records each request and the last token request's form.
 */
final class StandInProvider implements AutoCloseable {
  static final String CLIENT = "turnpike-site";
  static final String SECRET = "s3cret";
  static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final HttpServer server;
  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile KeyPair key = rsa();
  volatile String kid = "key-1";

  /** The discovery document served; null: the usual one on this server's address. */
  volatile JsonObject discovery;

  /** The ID token the token endpoint answers with next. */
  volatile String idToken;

  volatile boolean refuseRefresh;
  volatile Map<String, String> lastTokenForm = Map.of();

  private StandInProvider(HttpServer server) {
    this.server = server;
  }

  static StandInProvider start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      StandInProvider provider = new StandInProvider(server);
      server.createContext("/", provider::answer);
      server.start();
      return provider;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/t";
  }

  OidcClientSettings settings() {
    return new OidcClientSettings(issuer(), null, CLIENT, SECRET, java.time.Duration.ZERO);
  }

  static JsonObject document(String browserBase, String serviceBase, String issuer) {
    String oidc = "/protocol/openid-connect";
    return new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", browserBase + oidc + "/auth")
        .put("end_session_endpoint", browserBase + oidc + "/logout")
        .put("token_endpoint", serviceBase + oidc + "/token")
        .put("jwks_uri", serviceBase + oidc + "/certs");
  }

  /** Claims of a good ID token for this sign-in. */
  JsonObject claims(String nonce) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject()
        .put("iss", issuer())
        .put("aud", CLIENT)
        .put("azp", CLIENT)
        .put("sub", "person-1")
        .put("name", "Ada")
        .put("email", "ada@example.com")
        .put("iat", now)
        .put("exp", now + 300)
        .put("nonce", nonce);
  }

  /** Signed with the provider's published key. */
  String signed(JsonObject claims) {
    return signed(claims, key, kid);
  }

  static String signed(JsonObject claims, KeyPair with, String keyId) {
    String input =
        segment(new JsonObject().put("alg", "RS256").put("kid", keyId)) + "." + segment(claims);
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(with.getPrivate());
      rsa.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signed with HMAC under a secret the attacker chose. */
  String hmacSigned(JsonObject claims, byte[] secret) {
    String input =
        segment(new JsonObject().put("alg", "HS256").put("kid", kid)) + "." + segment(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input
          + "."
          + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String segment(JsonObject json) {
    return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonObject jwks() {
    RSAPublicKey publicKey = (RSAPublicKey) key.getPublic();
    return new JsonObject()
        .put(
            "keys",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("kty", "RSA")
                        .put("kid", kid)
                        .put("use", "sig")
                        .put("alg", "RS256")
                        .put("n", unsigned(publicKey.getModulus()))
                        .put("e", unsigned(publicKey.getPublicExponent()))));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return B64.encodeToString(bytes);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    calls.add(exchange.getRequestMethod() + " " + path);
    int status = 200;
    JsonObject body;
    if (path.endsWith("/.well-known/openid-configuration")) {
      body = discovery != null ? discovery : document(issuer(), issuer(), issuer());
    } else if (path.endsWith("/protocol/openid-connect/certs")) {
      body = jwks();
    } else if (path.endsWith("/protocol/openid-connect/token")) {
      Map<String, String> form =
          form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      lastTokenForm = form;
      if ("refresh_token".equals(form.get("grant_type")) && refuseRefresh) {
        status = 400;
        body =
            new JsonObject()
                .put("error", "invalid_grant")
                .put("error_description", "Token is not active");
      } else {
        body =
            new JsonObject()
                .put("access_token", "access-" + calls.size())
                .put("refresh_token", "refresh-" + calls.size())
                .put("token_type", "Bearer")
                .put("expires_in", 300);
        if (idToken != null) {
          body.put("id_token", idToken);
        }
      }
    } else {
      status = 404;
      body = new JsonObject().put("error", "not_found");
    }
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> values = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
