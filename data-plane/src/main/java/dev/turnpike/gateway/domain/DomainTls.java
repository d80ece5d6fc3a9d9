package dev.turnpike.gateway.domain;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The TLS of the custom-domain listener. One JSSE context serves every domain: its key manager
 * picks each handshake's certificate by SNI from the registry's current table and its trust manager
 * verifies client certificates against the named domain's truststore, both read per handshake, so a
 * feed update reaches the next handshake without rebuilding the listener ({@code
 * HttpServer.updateSSLOptions} would rebuild every domain's context for each change) and without
 * touching open connections.
 *
 * <p>Vert.x's own SNI mode ({@code setSni(true)}) builds and caches one Netty context per server
 * name from fixed options, with one client-auth mode and one protocol list for all names: it gives
 * neither per-domain protocols nor hot updates, hence this. Per-domain rules the JSSE context
 * cannot set per name are enforced as follows: the client certificate is requested of every client
 * and required by the request chain ({@link DomainAccess}, 403); a TLS 1.3-only domain offers no
 * certificate to a TLS 1.2 handshake, which fails it, and {@link DomainAccess} refuses requests on
 * a connection below the domain's current policy.
 */
public final class DomainTls {
  /**
   * Read once, when the JDK's server handshake class first loads (at the JVM's first server
   * handshake): it must be set before any listener shakes hands, hence here, before this class
   * configures one, and first thing in {@code GatewayMain}.
   */
  private static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

  static {
    refuseClientRenegotiation();
  }

  private DomainTls() {}

  /**
   * Makes every TLS listener of this JVM refuse a client's renegotiation (TLS 1.2; TLS 1.3 has
   * none) with an alert at its ClientHello: a client could otherwise make the server run handshake
   * after handshake on one connection, for a few bytes each, past the listener's connection limits.
   */
  public static void refuseClientRenegotiation() {
    System.setProperty(REJECT_RENEGOTIATION, "true");
  }

  /**
   * @param nodeChain the node's own certificate for SNI names no domain matches, null for none
   * @return {@code options}, serving HTTPS with HTTP/2 through ALPN, TLS 1.2 and 1.3 only,
   *     handshakes on worker threads
   */
  public static HttpServerOptions configure(
      HttpServerOptions options,
      Supplier<DomainTable> domains,
      X509Certificate[] nodeChain,
      PrivateKey nodeKey) {
    return options
        .setSsl(true)
        .setUseAlpn(true)
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
        .setClientAuth(ClientAuth.REQUEST)
        // The JDK engine's handshake work (key exchange, signatures, our key and trust managers)
        // runs on Vert.x's worker pool rather than the event loop, so a flood of handshakes, or
        // one with a costly key, queues there instead of stalling the requests of the loop.
        .setSslEngineOptions(new JdkSSLEngineOptions().setUseWorkerThread(true))
        .setKeyCertOptions(KeyCertOptions.wrap(new SniKeyManager(domains, nodeChain, nodeKey)))
        .setTrustOptions(TrustOptions.wrap(new DomainTrustManager(domains)));
  }
}
