package dev.turnpike.infra.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The JWT scenario's OpenID issuer: an RSA key made for the run, its discovery document and JWK set
 * as static files the backend nginx serves under {@code /issuer/}, and one RS256 token for wrk. The
 * gateway fetches the keys once and then verifies the token's signature on every request.
 */
final class BenchIssuer {
  static final String AUDIENCE = "bench";
  static final String PATH = "/issuer";
  static final String KEY_ID = "bench-rs256";

  private final String issuer;
  private final RSAKey key;

  private BenchIssuer(String issuer, RSAKey key) {
    this.issuer = issuer;
    this.key = key;
  }

  /** An issuer at {@code backend}{@value #PATH} with a fresh 2048-bit RSA key. */
  static BenchIssuer generate(String backend) {
    try {
      return new BenchIssuer(backend + PATH, new RSAKeyGenerator(2048).keyID(KEY_ID).generate());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate the bench issuer's key", e);
    }
  }

  String issuer() {
    return issuer;
  }

  String discoveryDocument() {
    return new JsonObject().put("issuer", issuer).put("jwks_uri", issuer + "/jwks.json").encode();
  }

  String jwks() {
    return new JWKSet(key.toPublicJWK()).toString(true);
  }

  /** A token for the JWT stage, valid for {@code lifetime} from {@code now}. */
  String token(Instant now, Duration lifetime) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject("bench-user")
            .audience(AUDIENCE)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the bench token", e);
    }
    return jwt.serialize();
  }

  /**
   * Writes {@code issuer/.well-known/openid-configuration} and {@code issuer/jwks.json} under
   * {@code workDir}, where run.sh's backend nginx serves {@value #PATH}.
   */
  void writeFiles(Path workDir) throws IOException {
    Path root = workDir.resolve("issuer");
    Files.createDirectories(root.resolve(".well-known"));
    Files.writeString(root.resolve(".well-known/openid-configuration"), discoveryDocument());
    Files.writeString(root.resolve("jwks.json"), jwks());
  }
}
