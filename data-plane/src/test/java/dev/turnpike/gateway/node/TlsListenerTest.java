package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SelfSignedCertificate;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The traffic port serves HTTPS (HTTP/1.1 and h2 through ALPN) when a PEM pair is configured. */
class TlsListenerTest {

  @Test
  void serves_https_with_the_configured_certificate(@TempDir Path dataDir) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    Map<String, String> env =
        Map.of(
            "TURNPIKE_GATEWAY_HOST", "localhost",
            "TURNPIKE_GATEWAY_PORT", "0",
            "TURNPIKE_GATEWAY_ADMIN_PORT", "0",
            "TURNPIKE_GATEWAY_EVENT_LOOPS", "1",
            // No Kafka here: the node starts without config, so every stage is unknown (403).
            "TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort(),
            "TURNPIKE_GATEWAY_DATA_DIR", dataDir.toString(),
            "TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none",
            "TURNPIKE_GATEWAY_TLS_CERT", certificate.certificatePath(),
            "TURNPIKE_GATEWAY_TLS_KEY", certificate.privateKeyPath());
    try (GatewayNode node =
        GatewayNode.start(NodeSettings.fromEnvironment(env))
            .toCompletionStage()
            .toCompletableFuture()
            .join()) {
      for (HttpClient.Version version : HttpClient.Version.values()) {
        HttpClient client =
            HttpClient.newBuilder().version(version).sslContext(trustingContext()).build();
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(
                        URI.create("https://localhost:" + node.port() + "/acme/pets/prod/pets"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(response.version()).isEqualTo(version);
      }
    }
  }

  /**
   * Trusts the test's self-signed certificate (and anything else: this client talks to the test
   * only).
   */
  private static SSLContext trustingContext() throws Exception {
    TrustManager trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
    return context;
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
