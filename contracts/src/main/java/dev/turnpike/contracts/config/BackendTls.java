package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How an HTTP integration talks TLS to its backend, as API Gateway's integration {@code tlsConfig}
 * and stage client certificates: the CA it trusts, the name it verifies, and the client certificate
 * it presents. Absent (null on the integration) means the JDK's public CAs and the request's host
 * name, with no client certificate.
 *
 * @param trustedCaPem PEM bundle of the CAs the backend's chain must end in, instead of the public
 *     ones; null for the public CAs
 * @param insecureSkipVerification accept any certificate for any name; off unless the owner asks,
 *     and warned about by the control plane and the gateway
 * @param serverNameToVerify the name the backend's certificate must carry and the SNI sent, instead
 *     of the integration URI's host; null for that host
 * @param clientCertificate what the gateway presents when the backend asks; null for nothing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendTls(
    String trustedCaPem,
    boolean insecureSkipVerification,
    String serverNameToVerify,
    ClientCertificate clientCertificate) {

  /**
   * A client certificate on the config feed: the private key travels sealed with {@link
   * dev.turnpike.contracts.domain.SealedSecrets} under the operator's key, bound to {@link
   * #binding(String)}, so the feed, the gateway's snapshot file and the stored deployment never
   * hold it in clear.
   *
   * @param certificatePem the certificate (and any intermediates), PEM
   * @param sealedPrivateKey the PKCS#8 PEM private key, sealed
   * @param owner what the key was uploaded on, e.g. {@code stage:<id>} or {@code integration:<id>}
   */
  public record ClientCertificate(String certificatePem, String sealedPrivateKey, String owner) {
    /** The associated data the key is sealed with: its tenant and what it was uploaded on. */
    public String binding(String tenantId) {
      return bindingOf(tenantId, owner);
    }

    public static String bindingOf(String tenantId, String owner) {
      return "backend-tls/" + tenantId + "/" + owner;
    }
  }

  /** This config with another client certificate (a stage's, when the integration has none). */
  public BackendTls withClientCertificate(ClientCertificate certificate) {
    return new BackendTls(trustedCaPem, insecureSkipVerification, serverNameToVerify, certificate);
  }

  /** Whether this config asks for nothing beyond the defaults. */
  @JsonIgnore
  public boolean isDefault() {
    return trustedCaPem == null
        && !insecureSkipVerification
        && serverNameToVerify == null
        && clientCertificate == null;
  }
}
