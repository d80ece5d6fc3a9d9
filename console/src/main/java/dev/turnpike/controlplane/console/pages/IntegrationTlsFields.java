package dev.turnpike.controlplane.console.pages;

import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.IntegrationTlsConfig;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import java.util.List;
import java.util.Set;

/**
 * An http or http_proxy integration's TLS to its backend on the integration page (the API's {@code
 * tlsConfig}): a private CA to trust, the name to verify, and skipping verification, which is off
 * unless ticked and is shown with the API's warning while on. The client certificate presented to
 * the backend is the stage's (the stage page).
 */
final class IntegrationTlsFields {
  /** Sent with the fields: a form without it (from before they existed) keeps the integration's. */
  static final String SHOWN = "tls.shown";

  static final Set<String> POINTERS =
      Set.of(
          "/tlsConfig",
          "/tlsConfig/trustedCaPem",
          "/tlsConfig/insecureSkipVerification",
          "/tlsConfig/serverNameToVerify");

  private static final List<String> HTTP_TYPES = List.of("http", "http_proxy");

  private IntegrationTlsFields() {}

  static boolean wasSent(FormInput in) {
    return in.checked(SHOWN);
  }

  /**
   * The settings the form sent; null for a type that does not call an http backend. All blank and
   * unticked is the defaults, which the use case stores as none.
   */
  static IntegrationTlsConfig read(FormInput in, String type) {
    if (!HTTP_TYPES.contains(type)) {
      return null;
    }
    List<String> ca = in.all("tls.trustedCaPem");
    String pem = ca.isEmpty() ? null : ca.getFirst().replace("\r\n", "\n");
    return new IntegrationTlsConfig(
        pem == null || pem.isBlank() ? null : pem,
        in.checked("tls.insecureSkipVerification"),
        in.text("tls.serverNameToVerify"));
  }

  static void fill(Form form, Integration integration) {
    IntegrationTlsConfig tls = integration.tlsConfig();
    form.set("tls.trustedCaPem", tls == null ? "" : tls.trustedCaPem())
        .set("tls.serverNameToVerify", tls == null ? "" : tls.serverNameToVerify())
        .set(
            "tls.insecureSkipVerification",
            tls != null && tls.insecureSkipVerification() ? "on" : null);
  }
}
