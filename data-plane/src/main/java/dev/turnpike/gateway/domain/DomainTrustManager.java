package dev.turnpike.gateway.domain;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a client certificate during the handshake against the truststore of the domain the
 * client named (SNI), and that domain's only: another domain's CA is never enough. The listener
 * asks every client for a certificate without requiring one (TLS cannot require it per name: the
 * request goes out before the server knows which domain's rules apply), so a client without one
 * completes the handshake and the request chain answers 403 for a mutual-TLS domain. A certificate
 * sent to a domain without a truststore is ignored, never exposed.
 */
public final class DomainTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NONE = new X509Certificate[0];

  private final Supplier<DomainTable> domains;

  public DomainTrustManager(Supplier<DomainTable> domains) {
    this.domains = domains;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    String requested =
        engine == null ? null : SniKeyManager.requestedName(engine.getHandshakeSession());
    ServedDomain domain = domains.get().lookup(requested);
    if (domain == null || !domain.mutualTls()) {
      return;
    }
    domain.trust().checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("client certificates are verified on engines only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("client certificates are verified on engines only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a listener verifies no server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a listener verifies no server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a listener verifies no server");
  }

  /** None named: the clients of every domain share the request, so any client may answer. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NONE;
  }
}
