package dev.turnpike.gateway.domain;

import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.routing.GatewayAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The rules a request for a custom domain passes before its base path is mapped, each refusal the
 * 403 {@code {"message":"Forbidden"}} API Gateway answers:
 *
 * <ul>
 *   <li>it came over TLS: a custom domain is never served over plain HTTP;
 *   <li>the connection negotiated a TLS version the domain's policy accepts (the handshake already
 *       refuses a lower one; this holds for a policy raised while a connection stays open);
 *   <li>the name the client asked for in the handshake (SNI) reaches the same domain as the Host
 *       header: otherwise a client could shake hands with a domain without mutual TLS and then name
 *       one with it. This one is answered 421 Misdirected Request instead ({@link Misdirected}),
 *       which tells an HTTP/2 client that reused a connection for another name its certificate
 *       covers to open a connection of its own, as RFC 9113 provides;
 *   <li>for a mutual-TLS domain, the client presented a certificate that chains to this domain's
 *       current truststore. The handshake verified it against the domain's truststore of the time;
 *       the first request of a connection after the truststore changed verifies it again.
 * </ul>
 */
public final class DomainAccess {
  /** The session value caching the verification, valid while the domain's trust is the same. */
  private static final String VERIFIED = "turnpike.clientCert";

  private DomainAccess() {}

  /** What a request reaches through a custom domain. */
  public record Admitted(
      ServedDomain domain, GatewayAddress address, ClientCertificate clientCert) {}

  /** The request names another domain than its connection's handshake did: answer 421. */
  public static final class Misdirected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Misdirected() {
      // No stack trace: an expected outcome, not a bug.
      super("Misdirected Request", null, false, false);
    }
  }

  private record Verified(Object trust, ClientCertificate certificate) {}

  /**
   * @param session the connection's TLS session, null over plain HTTP
   * @param path the raw request path
   * @throws GatewayFailure 403 when a rule above fails or no base path matches
   */
  public static Admitted admit(
      DomainTable table, ServedDomain domain, SSLSession session, String path) {
    if (session == null) {
      throw denied("custom domains are served over TLS only");
    }
    if (!domain.accepts(session.getProtocol())) {
      throw denied("the connection's TLS version is below the domain's policy");
    }
    if (table.lookup(SniKeyManager.requestedName(session)) != domain) {
      throw new Misdirected();
    }
    ClientCertificate clientCert = domain.mutualTls() ? verifiedCertificate(domain, session) : null;
    GatewayAddress address = domain.map(path).orElse(null);
    if (address == null) {
      throw denied("no base path of the domain matches");
    }
    return new Admitted(domain, address, clientCert);
  }

  private static ClientCertificate verifiedCertificate(ServedDomain domain, SSLSession session) {
    if (session.getValue(VERIFIED) instanceof Verified verified
        && verified.trust() == domain.trust()) {
      return verified.certificate();
    }
    Certificate[] peer;
    try {
      peer = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw denied("no client certificate");
    }
    X509Certificate[] chain = new X509Certificate[peer.length];
    for (int i = 0; i < peer.length; i++) {
      if (!(peer[i] instanceof X509Certificate x509)) {
        throw denied("the client certificate is not X.509");
      }
      chain[i] = x509;
    }
    if (chain.length == 0) {
      throw denied("no client certificate");
    }
    try {
      domain.trust().checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
    } catch (CertificateException | IllegalArgumentException e) {
      throw denied("the client certificate is not trusted by this domain");
    }
    ClientCertificate certificate = ClientCertificate.of(chain[0]);
    session.putValue(VERIFIED, new Verified(domain.trust(), certificate));
    return certificate;
  }

  /**
   * @param why for the reader: like API Gateway, the answer does not say which rule failed
   */
  private static GatewayFailure denied(String why) {
    return new GatewayFailure(GatewayResponseType.ACCESS_DENIED);
  }
}
