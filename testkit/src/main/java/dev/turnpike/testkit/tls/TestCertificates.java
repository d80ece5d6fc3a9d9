package dev.turnpike.testkit.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in a test: a root authority, intermediates, server certificates for DNS names
 * (wildcards included) and client certificates for mutual TLS, each with its key, as PEM the way an
 * owner uploads them. Nothing is read from disk, so every test makes the certificates it needs,
 * expired and not-yet-valid ones included.
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority("Test Root");
 * TestCertificates.Issued server = ca.server("api.example.com", "*.example.com");
 * server.chainPem();       // leaf first, then intermediates (not the root)
 * server.privateKeyPem();  // PKCS#8
 * ca.certificatePem();     // the trust anchor, e.g. a client's truststore
 * }</pre>
 */
public final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  /** The key algorithm of a certificate. EC P-256 is fast to make; RSA 2048 for PKCS#1 tests. */
  public enum KeyType {
    EC,
    RSA,
    /** An EC key on P-521, which TLS clients accept and the gateway refuses to serve. */
    EC_P521
  }

  /** When a certificate is valid. */
  public record Validity(Instant notBefore, Instant notAfter) {
    /** From a day ago to 90 days on: valid now. */
    public static Validity current() {
      Instant now = Instant.now();
      return new Validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)));
    }

    /** Ended a day ago. */
    public static Validity expired() {
      Instant now = Instant.now();
      return new Validity(now.minus(Duration.ofDays(90)), now.minus(Duration.ofDays(1)));
    }

    /** Starts in a day. */
    public static Validity notYetValid() {
      Instant now = Instant.now();
      return new Validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)));
    }
  }

  private TestCertificates() {}

  /** A self-signed root authority with an EC key, valid now. */
  public static Authority authority(String commonName) {
    KeyPair keys = keyPair(KeyType.EC);
    X500Name name = new X500Name("CN=" + commonName + ",O=Turnpike Tests");
    X509Certificate cert =
        build(name, keys, name, keys.getPrivate(), null, Validity.current(), Role.CA, List.of());
    return new Authority(cert, keys.getPrivate(), null);
  }

  /** A key pair of the given type. */
  public static KeyPair keyPair(KeyType type) {
    try {
      KeyPairGenerator generator;
      if (type == KeyType.EC || type == KeyType.EC_P521) {
        generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(
            new ECGenParameterSpec(type == KeyType.EC ? "secp256r1" : "secp521r1"), RANDOM);
      } else {
        generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate authority: a root, or an intermediate under {@link #parent()}. */
  public static final class Authority {
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Authority parent;

    private Authority(X509Certificate certificate, PrivateKey privateKey, Authority parent) {
      this.certificate = certificate;
      this.privateKey = privateKey;
      this.parent = parent;
    }

    public X509Certificate certificate() {
      return certificate;
    }

    public PrivateKey privateKey() {
      return privateKey;
    }

    /** The authority that signed this one; null for a root. */
    public Authority parent() {
      return parent;
    }

    public String certificatePem() {
      return pem(certificate);
    }

    /** An intermediate authority signed by this one. */
    public Authority intermediate(String commonName) {
      KeyPair keys = keyPair(KeyType.EC);
      X509Certificate cert =
          build(
              new X500Name("CN=" + commonName + ",O=Turnpike Tests"),
              keys,
              subject(),
              privateKey,
              certificate,
              Validity.current(),
              Role.CA,
              List.of());
      return new Authority(cert, keys.getPrivate(), this);
    }

    /** A server certificate for these DNS names (SAN), EC key, valid now. */
    public Issued server(String... dnsNames) {
      return server(Validity.current(), KeyType.EC, dnsNames);
    }

    public Issued server(Validity validity, KeyType keyType, String... dnsNames) {
      KeyPair keys = keyPair(keyType);
      X509Certificate cert =
          build(
              new X500Name("CN=" + dnsNames[0]),
              keys,
              subject(),
              privateKey,
              certificate,
              validity,
              Role.SERVER,
              List.of(dnsNames));
      return new Issued(cert, keys.getPrivate(), this);
    }

    /** A client certificate for mutual TLS, with {@code commonName} as its subject's CN. */
    public Issued client(String commonName) {
      return client(commonName, Validity.current());
    }

    public Issued client(String commonName, Validity validity) {
      KeyPair keys = keyPair(KeyType.EC);
      X509Certificate cert =
          build(
              new X500Name("CN=" + commonName + ",O=Turnpike Test Clients"),
              keys,
              subject(),
              privateKey,
              certificate,
              validity,
              Role.CLIENT,
              List.of());
      return new Issued(cert, keys.getPrivate(), this);
    }

    /**
     * A CRL of this authority listing {@code revoked}, issued a minute ago and due again at {@code
     * nextUpdate}, as PEM ({@code X509 CRL}).
     */
    public String crlPem(Instant nextUpdate, X509Certificate... revoked) {
      Instant now = Instant.now();
      X509v2CRLBuilder builder =
          new X509v2CRLBuilder(subject(), Date.from(now.minus(Duration.ofMinutes(1))));
      builder.setNextUpdate(Date.from(nextUpdate));
      for (X509Certificate certificate : revoked) {
        builder.addCRLEntry(
            certificate.getSerialNumber(),
            Date.from(now.minus(Duration.ofMinutes(1))),
            CRLReason.keyCompromise);
      }
      String algorithm =
          "RSA".equals(privateKey.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
      try {
        return pem(
            "X509 CRL",
            builder.build(new JcaContentSignerBuilder(algorithm).build(privateKey)).getEncoded());
      } catch (OperatorCreationException | IOException e) {
        throw new IllegalStateException("cannot make a test CRL", e);
      }
    }

    /** {@link #crlPem(Instant, X509Certificate...)} due in a day. */
    public String crlPem(X509Certificate... revoked) {
      return crlPem(Instant.now().plus(Duration.ofDays(1)), revoked);
    }

    private X500Name subject() {
      return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }
  }

  /** A certificate an authority issued, with its private key. */
  public record Issued(X509Certificate certificate, PrivateKey privateKey, Authority issuer) {
    /** The leaf, then each intermediate up to (not including) the root. */
    public List<X509Certificate> chain() {
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(certificate);
      for (Authority a = issuer; a != null && a.parent() != null; a = a.parent()) {
        chain.add(a.certificate());
      }
      return chain;
    }

    /** {@link #chain()} as one PEM text, leaf first: what an owner uploads. */
    public String chainPem() {
      StringBuilder out = new StringBuilder();
      chain().forEach(c -> out.append(pem(c)));
      return out.toString();
    }

    public String certificatePem() {
      return pem(certificate);
    }

    /** The private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public String privateKeyPem() {
      return pem("PRIVATE KEY", privateKey.getEncoded());
    }

    /**
     * The private key in its algorithm's own format: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) for
     * RSA, SEC 1 ({@code BEGIN EC PRIVATE KEY}) for EC, as OpenSSL's older commands write them.
     */
    public String traditionalPrivateKeyPem() {
      try {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(privateKey.getEncoded());
        if ("RSA".equals(privateKey.getAlgorithm())) {
          return pem("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
        }
        // The JDK leaves the curve out of the inner key; OpenSSL's SEC 1 keys name it.
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey named =
            new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
        return pem("EC PRIVATE KEY", named.getEncoded());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The root authority's certificate as PEM: what a peer trusts this certificate by. */
    public String rootPem() {
      Authority a = issuer;
      while (a.parent() != null) {
        a = a.parent();
      }
      return a.certificatePem();
    }
  }

  /** One certificate as PEM. */
  public static String pem(X509Certificate certificate) {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private enum Role {
    CA,
    SERVER,
    CLIENT
  }

  private static X509Certificate build(
      X500Name subject,
      KeyPair subjectKeys,
      X500Name issuer,
      PrivateKey issuerKey,
      X509Certificate issuerCert,
      Validity validity,
      Role role,
      List<String> dnsNames) {
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIALS.incrementAndGet()),
              Date.from(validity.notBefore()),
              Date.from(validity.notAfter()),
              subject,
              subjectKeys.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
      if (issuerCert != null) {
        builder.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            extensions.createAuthorityKeyIdentifier(issuerCert));
      }
      switch (role) {
        case CA -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
          builder.addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        case SERVER -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          builder.addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
          GeneralName[] names =
              dnsNames.stream()
                  .map(n -> new GeneralName(GeneralName.dNSName, n))
                  .toArray(GeneralName[]::new);
          builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        case CLIENT -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          builder.addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
      }
      String algorithm =
          "RSA".equals(issuerKey.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a test certificate", e);
    }
  }
}
