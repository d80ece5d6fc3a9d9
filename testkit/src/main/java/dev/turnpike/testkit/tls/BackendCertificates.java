package dev.turnpike.testkit.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates for TLS tests of backends and client certificates, made in the test: a CA, server
 * certificates with DNS and IP names, client certificates, expired ones. RSA 2048 and SHA-256,
 * encoded with a small DER writer of its own, since the build has BouncyCastle's provider but not
 * its certificate builder, and the JDK's builder is internal.
 */
public final class BackendCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] SHA256_WITH_RSA = oid(1, 2, 840, 113549, 1, 1, 11);
  private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);
  private static final byte[] BASIC_CONSTRAINTS = oid(2, 5, 29, 19);
  private static final byte[] SUBJECT_ALT_NAME = oid(2, 5, 29, 17);

  private BackendCertificates() {}

  /** A certificate and its key, with their PEM forms. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    public String certificatePem() {
      try {
        return pem("CERTIFICATE", certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** PKCS#8, {@code -----BEGIN PRIVATE KEY-----}. */
    public String privateKeyPem() {
      return pem("PRIVATE KEY", key.getEncoded());
    }
  }

  /** A self-signed CA valid from an hour ago for a day. */
  public static Issued ca(String commonName) {
    KeyPair keys = newKeys();
    Instant now = Instant.now();
    return issue(
        commonName,
        keys,
        commonName,
        keys.getPrivate(),
        true,
        List.of(),
        now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(1)));
  }

  /**
   * A server certificate signed by {@code ca}, for {@code names}: DNS names, or IP addresses
   * (written as literals, e.g. {@code 127.0.0.1}).
   */
  public static Issued server(Issued ca, String... names) {
    Instant now = Instant.now();
    return leaf(
        ca, names[0], List.of(names), now.minus(Duration.ofHours(1)), now.plusSeconds(86_400));
  }

  /** A client certificate signed by {@code ca}. */
  public static Issued client(Issued ca, String commonName) {
    Instant now = Instant.now();
    return leaf(ca, commonName, List.of(), now.minus(Duration.ofHours(1)), now.plusSeconds(86_400));
  }

  /** A certificate signed by {@code ca} valid only between the two instants. */
  public static Issued leaf(
      Issued ca, String commonName, List<String> names, Instant notBefore, Instant notAfter) {
    return issue(commonName, newKeys(), subjectOf(ca), ca.key(), false, names, notBefore, notAfter);
  }

  private static String subjectOf(Issued ca) {
    String name = ca.certificate().getSubjectX500Principal().getName();
    return name.startsWith("CN=") ? name.substring(3) : name;
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Issued issue(
      String subject,
      KeyPair subjectKeys,
      String issuer,
      PrivateKey issuerKey,
      boolean isCa,
      List<String> names,
      Instant notBefore,
      Instant notAfter) {
    byte[] algorithm = seq(tlv(0x06, SHA256_WITH_RSA), tlv(0x05));
    List<byte[]> extensions = new ArrayList<>();
    extensions.add(
        seq(
            tlv(0x06, BASIC_CONSTRAINTS),
            tlv(0x01, new byte[] {(byte) 0xff}),
            tlv(0x04, isCa ? seq(tlv(0x01, new byte[] {(byte) 0xff})) : seq())));
    if (!names.isEmpty()) {
      List<byte[]> generalNames = new ArrayList<>();
      for (String name : names) {
        generalNames.add(
            isAddress(name)
                ? tlv(0x87, address(name))
                : tlv(0x82, name.getBytes(StandardCharsets.US_ASCII)));
      }
      extensions.add(
          seq(tlv(0x06, SUBJECT_ALT_NAME), tlv(0x04, seq(generalNames.toArray(byte[][]::new)))));
    }
    byte[] tbs =
        seq(
            tlv(0xa0, tlv(0x02, new byte[] {2})),
            tlv(0x02, new BigInteger(64, RANDOM).add(BigInteger.ONE).toByteArray()),
            algorithm,
            name(issuer),
            seq(time(notBefore), time(notAfter)),
            name(subject),
            subjectKeys.getPublic().getEncoded(),
            tlv(0xa3, seq(extensions.toArray(byte[][]::new))));
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(issuerKey);
      signer.update(tbs);
      byte[] signature = signer.sign();
      byte[] bits = new byte[signature.length + 1];
      System.arraycopy(signature, 0, bits, 1, signature.length);
      byte[] der = seq(tbs, algorithm, tlv(0x03, bits));
      X509Certificate certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      return new Issued(certificate, subjectKeys.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isAddress(String name) {
    return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  private static byte[] address(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private static byte[] name(String commonName) {
    return seq(
        tlv(
            0x31,
            seq(tlv(0x06, COMMON_NAME), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] time(Instant instant) {
    var utc = instant.atOffset(ZoneOffset.UTC);
    if (utc.getYear() >= 1950 && utc.getYear() < 2050) {
      return tlv(
          0x17,
          DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
              .format(utc)
              .getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(
        0x18,
        DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .format(utc)
            .getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] oid(int... arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, 40L * arcs[0] + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      base128(out, arcs[i]);
    }
    return out.toByteArray();
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = 1;
    for (long v = value >>> 7; v != 0; v >>>= 7) {
      groups++;
    }
    for (int i = groups - 1; i >= 0; i--) {
      int b = (int) ((value >>> (7 * i)) & 0x7f);
      out.write(i == 0 ? b : b | 0x80);
    }
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, parts);
  }

  private static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((length >>> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
