package dev.turnpike.gateway.domain;

import dev.turnpike.contracts.domain.DomainRules;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.X509TrustManager;

/**
 * A domain's client-certificate trust with its revocation lists: the chain is first verified by
 * PKIX against the truststore, then every certificate of it that a CRL lists is refused. The CRLs
 * are the ones the owner uploaded, each already verified against the CA of the truststore that
 * signed it; nothing is fetched (no CRL distribution point, no OCSP): the gateway's egress is the
 * tenants' policy's, and a handshake never waits on the network.
 *
 * <p>A CRL past its {@code nextUpdate} still applies: what it revoked stays revoked, and refusing
 * every client until a new one is uploaded would turn a late upload into an outage. The management
 * API shows each CRL's {@code nextUpdate} so the owner sees it is due.
 */
final class RevocationCheckingTrust implements X509TrustManager {
  /** A CRL and the key of the truststore CA that signed it. */
  private record SignedCrl(X509CRL crl, PublicKey issuerKey) {}

  private final X509TrustManager pkix;
  private final List<SignedCrl> crls;

  private RevocationCheckingTrust(X509TrustManager pkix, List<SignedCrl> crls) {
    this.pkix = pkix;
    this.crls = List.copyOf(crls);
  }

  /**
   * @throws IllegalArgumentException when a CRL is not signed by a CA of {@code anchors} (the
   *     control plane refuses such an upload; a record carrying one is skipped whole)
   */
  static RevocationCheckingTrust of(
      X509TrustManager pkix, List<X509CRL> crls, List<X509Certificate> anchors) {
    List<SignedCrl> signed = new ArrayList<>();
    for (X509CRL crl : crls) {
      X509Certificate issuer =
          DomainRules.crlIssuer(crl, anchors)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          DomainRules.crlIssuerProblem(crl, anchors).orElseThrow()));
      signed.add(new SignedCrl(crl, issuer.getPublicKey()));
    }
    return new RevocationCheckingTrust(pkix, signed);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
    for (X509Certificate certificate : chain) {
      for (SignedCrl signed : crls) {
        // isRevoked matches issuer and serial; the signature check makes sure the listed
        // certificate is the one that CA issued, not another CA's of the same name.
        if (signed.crl().isRevoked(certificate) && issuedBy(certificate, signed.issuerKey())) {
          throw new CertificateException(
              "certificate "
                  + certificate.getSerialNumber().toString(16)
                  + " of "
                  + certificate.getIssuerX500Principal().getName()
                  + " is revoked");
        }
      }
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a domain's truststore verifies clients only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  private static boolean issuedBy(X509Certificate certificate, PublicKey issuerKey) {
    try {
      certificate.verify(issuerKey);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
