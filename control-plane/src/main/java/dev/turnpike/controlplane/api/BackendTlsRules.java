package dev.turnpike.controlplane.api;

import dev.turnpike.controlplane.problem.Validation;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks on an integration's {@code tlsConfig}, and the form it is stored in. */
final class BackendTlsRules {
  private static final Set<String> HTTP_TYPES = Set.of("http", "http_proxy");

  /** A DNS name, as a certificate's subject alternative name carries it. */
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

  private BackendTlsRules() {}

  static void validate(Validation v, Integrations.IntegrationInput in) {
    IntegrationTlsConfig tls = in.tlsConfig();
    if (tls == null) {
      return;
    }
    if (in.type() != null && !HTTP_TYPES.contains(in.type())) {
      v.add("/tlsConfig", "is only for an http or http_proxy integration");
      return;
    }
    String ca = tls.trustedCaPem();
    if (ca != null && !ca.isBlank()) {
      if (ca.length() > PemCertificates.MAX_PEM_CHARS) {
        v.add(
            "/tlsConfig/trustedCaPem",
            "must be at most " + PemCertificates.MAX_PEM_CHARS + " characters");
      } else {
        try {
          PemCertificates.certificates(ca);
        } catch (IllegalArgumentException e) {
          v.add("/tlsConfig/trustedCaPem", e.getMessage());
        }
      }
      if (tls.insecureSkipVerification()) {
        v.add(
            "/tlsConfig/insecureSkipVerification",
            "cannot be on with a trustedCaPem: a CA to trust means the certificate is verified");
      }
    }
    String name = tls.serverNameToVerify();
    if (name != null && !name.isBlank()) {
      v.matches(
          "/tlsConfig/serverNameToVerify",
          name.trim(),
          HOST_NAME,
          "must be a DNS name, e.g. backend.internal.example.com");
      if (tls.insecureSkipVerification()) {
        v.add(
            "/tlsConfig/serverNameToVerify",
            "cannot be set with insecureSkipVerification on: no name is verified then");
      }
    }
  }

  /** What is stored: blanks as absent, and nothing at all for the defaults. */
  static IntegrationTlsConfig normalized(IntegrationTlsConfig tls) {
    if (tls == null || tls.isDefault()) {
      return null;
    }
    return new IntegrationTlsConfig(
        blankToNull(tls.trustedCaPem()),
        tls.insecureSkipVerification(),
        tls.serverNameToVerify() == null ? null : blankToNull(tls.serverNameToVerify().trim()));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
