package dev.turnpike.controlplane.api;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM an owner uploads (CA bundles, client certificates and their keys) with the JDK
 * alone, each failure as a message the owner can act on.
 */
public final class PemCertificates {
  /** The largest PEM text accepted: a long chain or CA bundle is a few kilobytes. */
  public static final int MAX_PEM_CHARS = 65_536;

  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private PemCertificates() {}

  /**
   * The X.509 certificates in {@code pem}, in order.
   *
   * @throws IllegalArgumentException when it holds none or one does not parse
   */
  public static List<X509Certificate> certificates(String pem) {
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException(
          "must be PEM certificates (-----BEGIN CERTIFICATE----- blocks)");
    }
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("holds no certificate");
      }
      return out;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("is not valid PEM certificates: " + e.getMessage(), e);
    }
  }

  /**
   * The private key in {@code pem}: unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), RSA
   * or EC.
   *
   * @throws IllegalArgumentException when it is another form or does not parse
   */
  public static PrivateKey privateKey(String pem) {
    Matcher matcher = pem == null ? null : PRIVATE_KEY.matcher(pem);
    if (matcher == null || !matcher.find()) {
      throw new IllegalArgumentException(
          "must be an unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert one with"
              + " openssl pkcs8 -topk8 -nocrypt");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(matcher.group(1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not valid base64 PEM", e);
    }
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // Try the next algorithm.
      }
    }
    throw new IllegalArgumentException("is not an RSA or EC private key");
  }

  /**
   * Whether {@code key} is the private half of {@code publicKey}: it signs what the other checks.
   */
  public static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
