package dev.turnpike.gateway.domain;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * A test certificate authority written with the JDK alone (no BouncyCastle): X.509 v3 certificates
 * DER-encoded here and signed with ECDSA P-256, which is fast enough to issue a thousand domain
 * certificates in a test. Issues server certificates with a DNS name, client certificates, and
 * certificates already expired.
 */
public final class CertificateAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private static final int[] ECDSA_SHA256 = {1, 2, 840, 10045, 4, 3, 2};
  private static final int[] COMMON_NAME = {2, 5, 4, 3};
  private static final int[] BASIC_CONSTRAINTS = {2, 5, 29, 19};
  private static final int[] SUBJECT_ALT_NAME = {2, 5, 29, 17};

  /** A key pair and its certificate, as PEM too. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    public String certificatePem() {
      return pem("CERTIFICATE", encoded(certificate));
    }

    public String keyPem() {
      return pem("PRIVATE KEY", key.getEncoded());
    }
  }

  private final String name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private CertificateAuthority(String name, KeyPair keys, X509Certificate certificate) {
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A self-signed root valid for a day either side of now. */
  public static CertificateAuthority create(String name) {
    KeyPair keys = newKeys();
    Instant now = Instant.now();
    X509Certificate root =
        sign(
            name,
            keys.getPrivate(),
            name,
            keys,
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(1)),
            true,
            null);
    return new CertificateAuthority(name, keys, root);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return pem("CERTIFICATE", encoded(certificate));
  }

  /** A server certificate for {@code dnsName} (which may be a wildcard). */
  public Issued server(String dnsName) {
    Instant now = Instant.now();
    return issue(dnsName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), dnsName);
  }

  /** A server certificate for {@code dnsName} on the given keys (e.g. RSA of a chosen size). */
  public Issued server(String dnsName, KeyPair subject) {
    Instant now = Instant.now();
    X509Certificate issued =
        sign(
            name,
            keys.getPrivate(),
            dnsName,
            subject,
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(1)),
            false,
            dnsName);
    return new Issued(issued, subject.getPrivate());
  }

  /** A new RSA key pair of {@code bits}. */
  public static KeyPair rsaKeys(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new EC key pair on {@code curve}, e.g. {@code secp521r1}. */
  public static KeyPair ecKeys(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client certificate with {@code commonName} as its subject. */
  public Issued client(String commonName) {
    Instant now = Instant.now();
    return issue(commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), null);
  }

  /** A client certificate that expired an hour ago. */
  public Issued expiredClient(String commonName) {
    Instant now = Instant.now();
    return issue(commonName, now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)), null);
  }

  /**
   * A version 2 CRL of this authority listing {@code revoked} (none for an empty one), issued now
   * and due again in a day, as PEM ({@code X509 CRL}).
   */
  public String crlPem(X509Certificate... revoked) {
    Instant now = Instant.now();
    byte[] algorithm = sequence(oid(ECDSA_SHA256));
    ByteArrayOutputStream entries = new ByteArrayOutputStream();
    for (X509Certificate certificate : revoked) {
      write(
          entries,
          sequence(integer(certificate.getSerialNumber()), time(now.minus(Duration.ofMinutes(1)))));
    }
    ByteArrayOutputStream tbs = new ByteArrayOutputStream();
    write(tbs, integer(BigInteger.ONE));
    write(tbs, algorithm);
    write(tbs, name(name));
    write(tbs, time(now.minus(Duration.ofMinutes(1))));
    write(tbs, time(now.plus(Duration.ofDays(1))));
    if (revoked.length > 0) {
      write(tbs, tlv(0x30, entries.toByteArray()));
    }
    byte[] tbsList = tlv(0x30, tbs.toByteArray());
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbsList);
      byte[] signature = signer.sign();
      byte[] bits = new byte[signature.length + 1];
      System.arraycopy(signature, 0, bits, 1, signature.length);
      return pem("X509 CRL", sequence(tbsList, algorithm, tlv(0x03, bits)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Issued issue(String commonName, Instant notBefore, Instant notAfter, String dnsName) {
    KeyPair subject = newKeys();
    X509Certificate issued =
        sign(name, keys.getPrivate(), commonName, subject, notBefore, notAfter, false, dnsName);
    return new Issued(issued, subject.getPrivate());
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(
      String issuer,
      PrivateKey issuerKey,
      String subject,
      KeyPair subjectKeys,
      Instant notBefore,
      Instant notAfter,
      boolean ca,
      String dnsName) {
    byte[] algorithm = sequence(oid(ECDSA_SHA256));
    ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    if (ca) {
      write(
          extensions,
          sequence(
              oid(BASIC_CONSTRAINTS),
              tlv(0x01, new byte[] {(byte) 0xff}),
              octets(sequence(tlv(0x01, new byte[] {(byte) 0xff})))));
    }
    if (dnsName != null) {
      write(
          extensions,
          sequence(
              oid(SUBJECT_ALT_NAME),
              octets(sequence(tlv(0x82, dnsName.getBytes(StandardCharsets.US_ASCII))))));
    }
    byte[] tbs =
        sequence(
            tlv(0xa0, integer(BigInteger.TWO)),
            integer(new BigInteger(64, RANDOM).add(BigInteger.ONE)),
            algorithm,
            name(issuer),
            sequence(time(notBefore), time(notAfter)),
            name(subject),
            subjectKeys.getPublic().getEncoded(),
            tlv(0xa3, tlv(0x30, extensions.toByteArray())));
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(issuerKey);
      signer.update(tbs);
      byte[] signature = signer.sign();
      byte[] bits = new byte[signature.length + 1];
      System.arraycopy(signature, 0, bits, 1, signature.length);
      byte[] der = sequence(tbs, algorithm, tlv(0x03, bits));
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] name(String commonName) {
    return sequence(
        tlv(
            0x31,
            sequence(oid(COMMON_NAME), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] time(Instant instant) {
    return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] octets(byte[] content) {
    return tlv(0x04, content);
  }

  private static byte[] oid(int[] arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(arcs[0] * 40 + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int arc = arcs[i];
      int groups = 1;
      for (int rest = arc >>> 7; rest != 0; rest >>>= 7) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        int bits = (arc >>> (7 * g)) & 0x7f;
        out.write(g == 0 ? bits : bits | 0x80);
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      write(out, part);
    }
    return tlv(0x30, out.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length > 0xffff ? 3 : length > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((length >>> (8 * i)) & 0xff);
      }
    }
    write(out, content);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, byte[] bytes) {
    out.write(bytes, 0, bytes.length);
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** A PEM bundle of these certificates, as a domain's truststore. */
  public static String bundle(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      out.append(pem("CERTIFICATE", encoded(certificate)));
    }
    return out.toString();
  }
}
