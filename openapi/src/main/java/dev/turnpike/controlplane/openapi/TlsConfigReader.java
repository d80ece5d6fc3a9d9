package dev.turnpike.controlplane.openapi;

import dev.turnpike.controlplane.api.IntegrationTlsConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an integration's {@code tlsConfig} (API Gateway's {@code insecureSkipVerification} and
 * {@code serverNameToVerify}, and Turnpike's own {@code trustedCaPem}, which its export writes).
 * The control plane checks the CA bundle when the integration is saved, as for one made through the
 * API.
 */
final class TlsConfigReader {
  private static final Set<String> FIELDS =
      Set.of("insecureSkipVerification", "serverNameToVerify", "trustedCaPem");

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

  private static final int MAX_PEM_CHARS = 65_536;

  private TlsConfigReader() {}

  private static boolean isCertificates(String pem) {
    if (pem.length() > MAX_PEM_CHARS || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      return false;
    }
    try {
      return !CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .isEmpty();
    } catch (CertificateException e) {
      return false;
    }
  }

  /**
   * @return the settings, or null when absent, default, of another type of integration (a warning)
   *     or in error (recorded)
   */
  static IntegrationTlsConfig read(Node tlsConfig, String type) {
    if (tlsConfig.isMissing()) {
      return null;
    }
    if (!type.equals("http") && !type.equals("http_proxy")) {
      tlsConfig.warn("is not applied: only http and http_proxy integrations call a backend");
      return null;
    }
    Node object = tlsConfig.object();
    if (!object.isObject()) {
      return null;
    }
    for (var member : object.members()) {
      if (!FIELDS.contains(member.getKey())) {
        member.getValue().warn("is not a tlsConfig field Turnpike knows; it is ignored");
      }
    }
    Boolean insecure = object.member("insecureSkipVerification").bool();
    Node nameNode = object.member("serverNameToVerify");
    String name = nameNode.text();
    if (name != null && !HOST_NAME.matcher(name.trim()).matches()) {
      nameNode.error("must be a DNS name, e.g. backend.internal.example.com");
      return null;
    }
    Node caNode = object.member("trustedCaPem");
    String ca = caNode.text();
    if (ca != null && !isCertificates(ca)) {
      caNode.error(
          "must be PEM certificates (-----BEGIN CERTIFICATE----- blocks), at most "
              + MAX_PEM_CHARS
              + " characters");
      return null;
    }
    IntegrationTlsConfig tls =
        new IntegrationTlsConfig(
            ca, Boolean.TRUE.equals(insecure), name == null ? null : name.trim());
    if (tls.insecureSkipVerification() && (ca != null || name != null)) {
      object
          .member("insecureSkipVerification")
          .error("cannot be on with trustedCaPem or serverNameToVerify: nothing is verified then");
      return null;
    }
    if (tls.insecureSkipVerification()) {
      object
          .member("insecureSkipVerification")
          .warn("is on: the gateway will accept any certificate for any name from this backend");
    }
    return tls.isDefault() ? null : tls;
  }
}
