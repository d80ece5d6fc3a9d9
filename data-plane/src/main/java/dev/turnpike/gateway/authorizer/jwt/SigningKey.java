package dev.turnpike.gateway.authorizer.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.Map;
import java.util.Set;

/**
 * One public key of an issuer's JWK set with its verifier, built once when the set is fetched. Only
 * the algorithms API Gateway's JWT authorizers accept are used: RSA (RS*, PS*) and ECDSA on the
 * NIST curves (ES256/384/512); {@code none} and HMAC never, as a public key must not double as a
 * shared secret.
 *
 * @param kid null when the issuer's key has none
 * @param algorithm the key's own {@code alg}, or null when it does not restrict it
 */
record SigningKey(
    String kid, JWSAlgorithm algorithm, Set<JWSAlgorithm> accepts, JWSVerifier verifier) {
  static final Set<JWSAlgorithm> RSA =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512);
  static final Map<Curve, JWSAlgorithm> EC =
      Map.of(
          Curve.P_256, JWSAlgorithm.ES256,
          Curve.P_384, JWSAlgorithm.ES384,
          Curve.P_521, JWSAlgorithm.ES512);

  /** Shorter RSA keys are refused: they no longer protect a signature. */
  static final int MIN_RSA_BITS = 2048;

  /** Longer ones too: a tenant's issuer must not make each check cost the event loop much. */
  static final int MAX_RSA_BITS = 8192;

  /** Whether {@code alg} is one a JWT authorizer accepts at all. */
  static boolean accepted(JWSAlgorithm alg) {
    return RSA.contains(alg) || EC.containsValue(alg);
  }

  /** The key as a verifier, or null when it is not a signing key this gateway uses. */
  static SigningKey of(JWK jwk) {
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      return null;
    }
    JWSAlgorithm declared =
        jwk.getAlgorithm() == null ? null : JWSAlgorithm.parse(jwk.getAlgorithm().getName());
    try {
      if (jwk instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS && rsa.size() <= MAX_RSA_BITS) {
        return keep(jwk, declared, RSA, new RSASSAVerifier(rsa.toRSAPublicKey()));
      }
      if (jwk instanceof ECKey ec && EC.containsKey(ec.getCurve())) {
        return keep(
            jwk, declared, Set.of(EC.get(ec.getCurve())), new ECDSAVerifier(ec.toECPublicKey()));
      }
    } catch (JOSEException e) {
      return null;
    }
    return null;
  }

  private static SigningKey keep(
      JWK jwk, JWSAlgorithm declared, Set<JWSAlgorithm> family, JWSVerifier verifier) {
    if (declared != null && !family.contains(declared)) {
      return null;
    }
    return new SigningKey(jwk.getKeyID(), declared, family, verifier);
  }

  /** Whether this key may have signed a token with {@code header}. */
  boolean fits(JWSHeader header) {
    JWSAlgorithm alg = header.getAlgorithm();
    if (!accepts.contains(alg) || (algorithm != null && !algorithm.equals(alg))) {
      return false;
    }
    return header.getKeyID() == null || header.getKeyID().equals(kid);
  }
}
