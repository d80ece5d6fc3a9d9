package dev.turnpike.gateway.node;

import dev.turnpike.gateway.compression.ResponseCompression;
import dev.turnpike.gateway.domain.DomainTable;
import dev.turnpike.gateway.domain.DomainTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.X509KeyManager;

/** How a node's three listeners are set up from its settings: traffic, custom domains, admin. */
final class NodeListeners {
  private NodeListeners() {}

  /**
   * The API traffic port. Compression is on for the listener; each response is held to identity
   * unless its API's minimumCompressionSize admits it (ResponseCompression). No h2c: with both,
   * Vert.x 5.0.10 announces a plain connection only once its first request head is in and puts its
   * idle handler before the decoder, where a client trickling headers keeps resetting it, so
   * nothing would bound a Slowloris client's headers (SlowClientsTest). HTTP/2 is served over TLS
   * (ALPN).
   */
  static HttpServerOptions traffic(NodeSettings settings, int listenPort) {
    HttpServerOptions options =
        ResponseCompression.onListener(apiTraffic(settings, listenPort))
            .setHttp2ClearTextEnabled(false);
    if (settings.tls()) {
      options
          .setSsl(true)
          .setUseAlpn(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(settings.tlsCertPath())
                  .setKeyPath(settings.tlsKeyPath()));
    }
    return options;
  }

  /**
   * The custom-domain port: TLS with each domain's certificate by SNI, and the node's own
   * certificate (when it has one) for names no domain matches. Compressed as on the traffic
   * listener: an API's minimumCompressionSize holds on its domains.
   */
  static HttpServerOptions domains(
      NodeSettings settings, Vertx vertx, Supplier<DomainTable> domains, int listenPort)
      throws Exception {
    HttpServerOptions options = ResponseCompression.onListener(apiTraffic(settings, listenPort));
    X509Certificate[] nodeChain = null;
    PrivateKey nodeKey = null;
    if (settings.tls()) {
      X509KeyManager node =
          (X509KeyManager)
              new PemKeyCertOptions()
                  .setCertPath(settings.tlsCertPath())
                  .setKeyPath(settings.tlsKeyPath())
                  .getKeyManagerFactory(vertx)
                  .getKeyManagers()[0];
      for (String type : List.of("EC", "RSA")) {
        String[] aliases = node.getServerAliases(type, null);
        if (aliases != null && aliases.length > 0) {
          nodeChain = node.getCertificateChain(aliases[0]);
          nodeKey = node.getPrivateKey(aliases[0]);
          break;
        }
      }
    }
    return DomainTls.configure(options, domains, nodeChain, nodeKey);
  }

  /**
   * The admin port. No h2c, as on the traffic port: with it the connection is announced after its
   * first request head, and on io_uring a client trickling that head was never cut off
   * (EventLoopTransportTest). Scrapers and probes speak HTTP/1.1.
   */
  static HttpServerOptions admin(NodeSettings settings) {
    return new HttpServerOptions()
        .setHost(settings.host())
        .setPort(settings.adminPort())
        .setHttp2ClearTextEnabled(false);
  }

  /** What both API listeners share: the request line's and WebSocket frames' limits, no Nagle. */
  private static HttpServerOptions apiTraffic(NodeSettings settings, int listenPort) {
    return new HttpServerOptions()
        .setHost(settings.host())
        .setPort(listenPort)
        .setMaxInitialLineLength(settings.maxUriLength())
        .setMaxWebSocketFrameSize(settings.webSocket().maxFrameBytes())
        .setMaxWebSocketMessageSize(settings.webSocket().maxMessageBytes())
        .setTcpNoDelay(true);
  }
}
