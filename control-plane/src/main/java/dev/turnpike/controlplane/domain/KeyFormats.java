package dev.turnpike.controlplane.domain;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Wraps the private key formats OpenSSL's older commands write into PKCS#8, which the JDK reads and
 * the gateway is given: PKCS#1 ({@code RSA PRIVATE KEY}) and SEC 1 ({@code EC PRIVATE KEY}, which
 * names its curve). Only the few DER elements these wrappers need are read or written.
 */
final class KeyFormats {
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private KeyFormats() {}

  static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
    return sequence(VERSION_0, RSA_ALGORITHM, tlv(0x04, pkcs1));
  }

  /**
   * @throws IllegalArgumentException when the key does not name its curve
   */
  static byte[] pkcs8FromSec1(byte[] sec1) {
    byte[] curve = curveOf(sec1);
    return sequence(VERSION_0, sequence(EC_PUBLIC_KEY_OID, curve), tlv(0x04, sec1));
  }

  /** The curve OID element of a SEC 1 ECPrivateKey: its optional {@code [0]} parameters. */
  private static byte[] curveOf(byte[] sec1) {
    Reader outer = new Reader(sec1, 0);
    if (outer.tag() != 0x30) {
      throw new IllegalArgumentException("is not an EC private key");
    }
    Reader inner = new Reader(sec1, outer.contentStart());
    int end = outer.contentStart() + outer.length();
    inner = inner.next(); // past the version
    inner = inner.next(); // past the private key octets
    while (inner.at() < end) {
      if (inner.tag() == 0xa0) {
        Reader oid = new Reader(sec1, inner.contentStart());
        if (oid.tag() == 0x06) {
          return Arrays.copyOfRange(sec1, oid.at(), oid.contentStart() + oid.length());
        }
      }
      inner = inner.next();
    }
    throw new IllegalArgumentException(
        "is an EC private key that does not name its curve; convert it to PKCS#8 with"
            + " openssl pkcs8 -topk8 -nocrypt");
  }

  private static byte[] sequence(byte[]... elements) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] e : elements) {
      content.writeBytes(e);
    }
    return tlv(0x30, content.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n <= 0xff) {
      out.write(0x81);
      out.write(n);
    } else if (n <= 0xffff) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** One DER element's header at {@code at}. */
  private record Reader(byte[] der, int at) {
    int tag() {
      check(at);
      return der[at] & 0xff;
    }

    int length() {
      check(at + 1);
      int first = der[at + 1] & 0xff;
      if (first < 0x80) {
        return first;
      }
      int count = first & 0x7f;
      if (count == 0 || count > 3) {
        throw new IllegalArgumentException("is not DER");
      }
      int n = 0;
      for (int i = 0; i < count; i++) {
        check(at + 2 + i);
        n = (n << 8) | (der[at + 2 + i] & 0xff);
      }
      return n;
    }

    int contentStart() {
      int first = der[at + 1] & 0xff;
      return at + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    Reader next() {
      return new Reader(der, contentStart() + length());
    }

    private void check(int index) {
      if (index >= der.length) {
        throw new IllegalArgumentException("is not DER (cut short)");
      }
    }
  }
}
