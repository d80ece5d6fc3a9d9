package dev.turnpike.controlplane.domain;

import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import java.time.Instant;

/**
 * A tenant's custom domain as stored. The private key is only ever held sealed; nothing that
 * answers an owner carries this record itself (see {@link Domains.DomainView}).
 *
 * @param verificationToken what the tenant publishes to prove control of the name
 * @param verifiedAt when control was proved; null until then, and the domain is not served
 * @param certificateChainPem the leaf first, null until a certificate is uploaded
 * @param sealedPrivateKey the PKCS#8 key sealed with the operator's key, bound to the name
 * @param truststorePem the CA bundle client certificates must chain to; null for no mutual TLS
 * @param crlPem the CRLs (PEM) of the truststore's CAs whose listed certificates are refused; null
 *     for none
 */
public record CustomDomain(
    String name,
    String verificationToken,
    Instant verifiedAt,
    String certificateChainPem,
    String sealedPrivateKey,
    Instant certificateNotAfter,
    TlsSecurityPolicy securityPolicy,
    String truststorePem,
    String crlPem,
    Instant createdAt,
    Instant updatedAt) {

  public boolean verified() {
    return verifiedAt != null;
  }

  /** Whether gateways serve it: control proved and a certificate to serve it with. */
  public boolean servable() {
    return verified() && certificateChainPem != null;
  }

  CustomDomain verifiedAt(Instant at) {
    return new CustomDomain(
        name,
        verificationToken,
        at,
        certificateChainPem,
        sealedPrivateKey,
        certificateNotAfter,
        securityPolicy,
        truststorePem,
        crlPem,
        createdAt,
        at);
  }

  CustomDomain withCertificate(String chainPem, String sealedKey, Instant notAfter, Instant at) {
    return new CustomDomain(
        name,
        verificationToken,
        verifiedAt,
        chainPem,
        sealedKey,
        notAfter,
        securityPolicy,
        truststorePem,
        crlPem,
        createdAt,
        at);
  }

  CustomDomain withSettings(TlsSecurityPolicy policy, String truststore, String crls, Instant at) {
    return new CustomDomain(
        name,
        verificationToken,
        verifiedAt,
        certificateChainPem,
        sealedPrivateKey,
        certificateNotAfter,
        policy,
        truststore,
        crls,
        createdAt,
        at);
  }
}
