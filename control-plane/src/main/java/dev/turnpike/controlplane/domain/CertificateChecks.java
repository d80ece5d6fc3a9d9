package dev.turnpike.controlplane.domain;

import dev.turnpike.contracts.domain.DomainRules;
import dev.turnpike.controlplane.problem.Validation;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * Judges what an owner uploads for a custom domain, and nothing else: a certificate chain that
 * parses, is in order (each certificate signed by the next), is valid now, and whose leaf names the
 * domain; a private key that parses and belongs to the leaf; a truststore of CA certificates and
 * CRLs signed by them. Each problem is reported at its field with what to do about it.
 */
public final class CertificateChecks {
  public static final int MAX_CHAIN_CERTIFICATES = 10;
  public static final int MAX_CHAIN_CHARS = 128 * 1024;
  public static final int MAX_KEY_CHARS = 16 * 1024;
  public static final int MAX_TRUSTSTORE_CERTIFICATES = 100;
  public static final int MAX_TRUSTSTORE_CHARS = 256 * 1024;

  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate as the owner reads it back. */
  public record Summary(
      String subject,
      String issuer,
      String serialNumber,
      Instant notBefore,
      Instant notAfter,
      List<String> dnsNames,
      String sha256Fingerprint) {}

  /**
   * A CRL as the owner reads it back: {@code due} once {@code nextUpdate} has passed (the gateway
   * still applies it, and fetches no newer one: the owner uploads it).
   */
  public record CrlSummary(
      String issuer, Instant thisUpdate, Instant nextUpdate, int revoked, boolean due) {}

  /**
   * A chain and key that passed: the chain as PEM (normalized), the key as PKCS#8 PEM, and the
   * leaf's summary.
   */
  public record Accepted(String chainPem, String pkcs8KeyPem, Summary leaf) {}

  private CertificateChecks() {}

  /**
   * @return the accepted chain and key, or null with the problems added to {@code v}
   */
  public static Accepted certificate(
      Validation v, String domain, String chainPem, String keyPem, Instant now) {
    boolean present = v.required("/certificateChain", chainPem);
    present &= v.required("/privateKey", keyPem);
    if (!present) {
      return null;
    }
    // The gateway's own limits (size, count, key types and sizes), so it never skips what was
    // accepted here.
    if (refused(v, "/certificateChain", DomainRules.chainProblem(chainPem))) {
      return null;
    }
    List<X509Certificate> chain = chain(v, chainPem);
    PrivateKey key = privateKey(v, keyPem);
    if (chain == null) {
      return null;
    }
    X509Certificate leaf = chain.get(0);
    if (refused(v, "/certificateChain", DomainRules.keyProblem(leaf.getPublicKey()))) {
      return null;
    }
    if (key != null && refused(v, "/privateKey", DomainRules.keyProblem(key))) {
      return null;
    }
    // One problem of the chain at a time: a chain out of order names the wrong leaf too.
    boolean ok = inOrder(v, chain) && valid(v, chain, now) && names(v, leaf, domain);
    if (key == null || !ok) {
      return null;
    }
    if (!matches(key, leaf.getPublicKey())) {
      v.add(
          "/privateKey",
          "does not belong to the leaf certificate (the first in the chain): its public key is"
              + " another");
      return null;
    }
    StringBuilder normalized = new StringBuilder();
    for (X509Certificate c : chain) {
      normalized.append(pem(c));
    }
    return new Accepted(
        normalized.toString(), Pem.write("PRIVATE KEY", key.getEncoded()), summary(leaf));
  }

  /**
   * @return the truststore normalized as PEM, or null with the problems added to {@code v}
   */
  public static String truststore(Validation v, String pem, Instant now) {
    if (refused(v, "/truststore", DomainRules.truststoreProblem(pem))) {
      return null;
    }
    if (pem.length() > MAX_TRUSTSTORE_CHARS) {
      v.add("/truststore", "is over " + MAX_TRUSTSTORE_CHARS + " characters");
      return null;
    }
    List<X509Certificate> certs = certificates(v, "/truststore", pem, MAX_TRUSTSTORE_CERTIFICATES);
    if (certs == null) {
      return null;
    }
    StringBuilder normalized = new StringBuilder();
    for (int i = 0; i < certs.size(); i++) {
      X509Certificate c = certs.get(i);
      if (c.getBasicConstraints() < 0) {
        v.add(
            "/truststore",
            "certificate "
                + (i + 1)
                + " ("
                + c.getSubjectX500Principal().getName()
                + ") is not a CA certificate (no basicConstraints CA:TRUE): a truststore holds the"
                + " authorities client certificates chain to");
      } else if (c.getNotAfter().toInstant().isBefore(now)) {
        v.add(
            "/truststore", "certificate " + (i + 1) + " expired on " + c.getNotAfter().toInstant());
      }
      normalized.append(pem(c));
    }
    return v.ok() ? normalized.toString() : null;
  }

  /**
   * @param truststorePem the truststore that passed {@link #truststore}
   * @return the CRLs normalized as PEM, or null with the problems added to {@code v}
   */
  public static String crls(Validation v, String pem, String truststorePem) {
    if (refused(v, "/crls", DomainRules.crlProblem(pem))) {
      return null;
    }
    List<Pem.Block> blocks;
    try {
      blocks = Pem.blocks(pem);
    } catch (IllegalArgumentException e) {
      v.add("/crls", e.getMessage());
      return null;
    }
    for (int i = 0; i < blocks.size(); i++) {
      if (!blocks.get(i).label().equals("X509 CRL")) {
        v.add("/crls", "block " + (i + 1) + " is a " + blocks.get(i).label() + ", not an X509 CRL");
        return null;
      }
    }
    List<X509CRL> crls;
    try {
      crls = DomainRules.crls(pem);
    } catch (IllegalArgumentException e) {
      v.add("/crls", e.getMessage());
      return null;
    }
    List<X509Certificate> anchors =
        certificates(v, "/truststore", truststorePem, Integer.MAX_VALUE);
    if (anchors == null) {
      return null;
    }
    StringBuilder normalized = new StringBuilder();
    for (int i = 0; i < crls.size(); i++) {
      X509CRL crl = crls.get(i);
      var problem = DomainRules.crlIssuerProblem(crl, anchors);
      if (problem.isPresent()) {
        v.add("/crls", "CRL " + (i + 1) + ": " + problem.get());
        continue;
      }
      try {
        normalized.append(Pem.write("X509 CRL", crl.getEncoded()));
      } catch (CRLException e) {
        v.add("/crls", "CRL " + (i + 1) + " cannot be encoded again");
      }
    }
    return v.ok() ? normalized.toString() : null;
  }

  /** The summaries of the CRLs in {@code pem}, which passed {@link #crls} before. */
  public static List<CrlSummary> crlSummaries(String pem, Instant now) {
    List<X509CRL> crls;
    try {
      crls = DomainRules.crls(pem);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    return crls.stream()
        .map(
            crl -> {
              Instant next = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
              var revoked = crl.getRevokedCertificates();
              return new CrlSummary(
                  crl.getIssuerX500Principal().getName(),
                  crl.getThisUpdate().toInstant(),
                  next,
                  revoked == null ? 0 : revoked.size(),
                  next != null && next.isBefore(now));
            })
        .toList();
  }

  /** Whether the gateway's rule refused the value, reported to {@code v} at {@code pointer}. */
  private static boolean refused(Validation v, String pointer, java.util.Optional<String> problem) {
    problem.ifPresent(message -> v.add(pointer, message));
    return problem.isPresent();
  }

  /** The summaries of the certificates in {@code pem}, which passed these checks before. */
  public static List<Summary> summaries(String pem) {
    Validation v = new Validation();
    List<X509Certificate> certs = certificates(v, "/", pem, Integer.MAX_VALUE);
    return certs == null ? List.of() : certs.stream().map(CertificateChecks::summary).toList();
  }

  private static List<X509Certificate> chain(Validation v, String pem) {
    if (pem.length() > MAX_CHAIN_CHARS) {
      v.add("/certificateChain", "is over " + MAX_CHAIN_CHARS + " characters");
      return null;
    }
    return certificates(v, "/certificateChain", pem, MAX_CHAIN_CERTIFICATES);
  }

  private static List<X509Certificate> certificates(
      Validation v, String pointer, String pem, int max) {
    List<Pem.Block> blocks;
    try {
      blocks = Pem.blocks(pem);
    } catch (IllegalArgumentException e) {
      v.add(pointer, e.getMessage());
      return null;
    }
    if (blocks.isEmpty()) {
      v.add(pointer, "holds no certificate (-----BEGIN CERTIFICATE-----)");
      return null;
    }
    if (blocks.size() > max) {
      v.add(pointer, "holds " + blocks.size() + " certificates, over the limit of " + max);
      return null;
    }
    List<X509Certificate> certs = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      Pem.Block block = blocks.get(i);
      if (!block.label().equals("CERTIFICATE")) {
        v.add(
            pointer,
            "block "
                + (i + 1)
                + " is a "
                + block.label()
                + ", not a CERTIFICATE"
                + (block.label().contains("PRIVATE KEY")
                    ? " (the private key goes in its own field)"
                    : ""));
        return null;
      }
      try {
        certs.add(
            (X509Certificate)
                CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(block.der())));
      } catch (CertificateException e) {
        v.add(pointer, "certificate " + (i + 1) + " does not parse as X.509");
        return null;
      }
    }
    return certs;
  }

  private static boolean inOrder(Validation v, List<X509Certificate> chain) {
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      X509Certificate issuer = chain.get(i + 1);
      boolean signed =
          cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
              && verifies(cert, issuer.getPublicKey());
      if (!signed) {
        v.add(
            "/certificateChain",
            "is not in order: certificate "
                + (i + 1)
                + " ("
                + cert.getSubjectX500Principal().getName()
                + ") is not signed by certificate "
                + (i + 2)
                + " ("
                + issuer.getSubjectX500Principal().getName()
                + "); give the leaf first, then each issuer in turn");
        return false;
      }
      if (issuer.getBasicConstraints() < 0) {
        v.add(
            "/certificateChain",
            "certificate " + (i + 2) + " signs another but is not a CA certificate");
        return false;
      }
    }
    return true;
  }

  private static boolean valid(Validation v, List<X509Certificate> chain, Instant now) {
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      try {
        cert.checkValidity(Date.from(now));
      } catch (CertificateExpiredException e) {
        v.add(
            "/certificateChain",
            "certificate " + (i + 1) + " expired on " + cert.getNotAfter().toInstant());
        return false;
      } catch (CertificateNotYetValidException e) {
        v.add(
            "/certificateChain",
            "certificate " + (i + 1) + " is not valid before " + cert.getNotBefore().toInstant());
        return false;
      }
    }
    return true;
  }

  private static boolean names(Validation v, X509Certificate leaf, String domain) {
    List<String> names = dnsNames(leaf);
    if (names.stream().noneMatch(n -> DomainNames.covers(n, domain))) {
      v.add(
          "/certificateChain",
          "the leaf certificate does not name "
              + domain
              + " among its subject alternative DNS names "
              + names);
      return false;
    }
    return true;
  }

  private static PrivateKey privateKey(Validation v, String pem) {
    if (pem.length() > MAX_KEY_CHARS) {
      v.add("/privateKey", "is over " + MAX_KEY_CHARS + " characters");
      return null;
    }
    List<Pem.Block> blocks;
    try {
      blocks = Pem.blocks(pem);
    } catch (IllegalArgumentException e) {
      v.add("/privateKey", e.getMessage());
      return null;
    }
    if (blocks.size() != 1) {
      v.add("/privateKey", "must hold exactly one PEM block, the private key");
      return null;
    }
    Pem.Block block = blocks.get(0);
    byte[] pkcs8;
    try {
      pkcs8 =
          switch (block.label()) {
            case "PRIVATE KEY" -> block.der();
            case "RSA PRIVATE KEY" -> KeyFormats.pkcs8FromPkcs1(block.der());
            case "EC PRIVATE KEY" -> KeyFormats.pkcs8FromSec1(block.der());
            case "ENCRYPTED PRIVATE KEY" -> {
              v.add(
                  "/privateKey",
                  "is encrypted; upload it unencrypted (openssl pkcs8 -topk8 -nocrypt): it is"
                      + " sealed at rest under the operator's key");
              yield null;
            }
            default -> {
              v.add(
                  "/privateKey",
                  "is a "
                      + block.label()
                      + "; expected PRIVATE KEY (PKCS#8), RSA PRIVATE KEY or EC PRIVATE KEY");
              yield null;
            }
          };
    } catch (IllegalArgumentException e) {
      v.add("/privateKey", e.getMessage());
      return null;
    }
    if (pkcs8 == null) {
      return null;
    }
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this algorithm; the next is tried
      }
    }
    v.add("/privateKey", "does not parse as an RSA, EC or EdDSA private key");
    return null;
  }

  /** Whether the key signs what the public key verifies: one test for every algorithm. */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (publicKey.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> publicKey.getAlgorithm();
        };
    try {
      byte[] challenge = new byte[32];
      RANDOM.nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean verifies(X509Certificate cert, PublicKey key) {
    try {
      cert.verify(key);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static List<String> dnsNames(X509Certificate cert) {
    try {
      var names = cert.getSubjectAlternativeNames();
      if (names == null) {
        return List.of();
      }
      return names.stream()
          .filter(n -> n.size() >= 2 && Integer.valueOf(2).equals(n.get(0)))
          .map(n -> String.valueOf(n.get(1)))
          .toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  private static Summary summary(X509Certificate cert) {
    String fingerprint;
    try {
      fingerprint =
          HexFormat.ofDelimiter(":")
              .withUpperCase()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return new Summary(
        cert.getSubjectX500Principal().getName(),
        cert.getIssuerX500Principal().getName(),
        cert.getSerialNumber().toString(16),
        cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant(),
        dnsNames(cert),
        fingerprint);
  }

  private static String pem(X509Certificate cert) {
    try {
      return Pem.write("CERTIFICATE", cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
