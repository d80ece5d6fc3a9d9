package dev.turnpike.controlplane.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An http or http_proxy integration's TLS to its backend, as API Gateway's integration {@code
 * tlsConfig}. The client certificate it presents is its stage's (see the stage's {@code
 * client-certificate}).
 *
 * @param trustedCaPem PEM bundle of the CAs the backend's certificate must chain to, instead of the
 *     public ones; null for the public CAs
 * @param insecureSkipVerification accept any certificate for any name: for a test backend only; the
 *     API answers with a warning while it is on
 * @param serverNameToVerify the name the backend's certificate must carry (and the SNI sent),
 *     instead of the URI's host; null for the URI's host
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntegrationTlsConfig(
    String trustedCaPem, Boolean insecureSkipVerification, String serverNameToVerify) {
  /** Absent reads as off, as in API Gateway. */
  public IntegrationTlsConfig {
    insecureSkipVerification = Boolean.TRUE.equals(insecureSkipVerification);
  }

  /** Whether nothing differs from the defaults (then the integration stores none). */
  @JsonIgnore
  public boolean isDefault() {
    return (trustedCaPem == null || trustedCaPem.isBlank())
        && !insecureSkipVerification
        && (serverNameToVerify == null || serverNameToVerify.isBlank());
  }
}
