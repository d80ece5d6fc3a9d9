package dev.turnpike.gateway.domain;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The client certificate a mutual-TLS domain verified, in the form API Gateway gives it to {@code
 * $context.identity.clientCert.*}, to authorizers ({@code requestContext.identity.clientCert}) and
 * to functions: the PEM, the distinguished names, the serial as colon-separated hex bytes and the
 * validity as {@code May 28 12:30:02 2019 GMT}.
 */
public record ClientCertificate(
    String clientCertPem,
    String subjectDN,
    String issuerDN,
    String serialNumber,
    String notBefore,
    String notAfter) {

  private static final DateTimeFormatter VALIDITY =
      DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  /** The fields of a verified certificate. */
  public static ClientCertificate of(X509Certificate certificate) {
    String pem;
    try {
      pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, new byte[] {'\n'})
                  .encodeToString(certificate.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("A verified certificate does not encode", e);
    }
    byte[] serial = certificate.getSerialNumber().toByteArray();
    // BigInteger adds a sign byte in front of a serial whose first bit is set; it is not part of
    // it.
    int from = serial.length > 1 && serial[0] == 0 ? 1 : 0;
    StringBuilder hex = new StringBuilder(serial.length * 3);
    HexFormat bytes = HexFormat.of();
    for (int i = from; i < serial.length; i++) {
      if (i > from) {
        hex.append(':');
      }
      hex.append(bytes.toHexDigits(serial[i]));
    }
    return new ClientCertificate(
        pem,
        certificate.getSubjectX500Principal().getName(),
        certificate.getIssuerX500Principal().getName(),
        hex.toString(),
        VALIDITY.format(certificate.getNotBefore().toInstant()),
        VALIDITY.format(certificate.getNotAfter().toInstant()));
  }

  /**
   * One {@code identity.clientCert.*} context variable.
   *
   * @param name what follows {@code identity.clientCert.}, e.g. {@code validity.notAfter}
   * @return null for a name API Gateway does not define
   */
  public String field(String name) {
    return switch (name) {
      case "clientCertPem" -> clientCertPem;
      case "subjectDN" -> subjectDN;
      case "issuerDN" -> issuerDN;
      case "serialNumber" -> serialNumber;
      case "validity.notBefore" -> notBefore;
      case "validity.notAfter" -> notAfter;
      default -> null;
    };
  }
}
