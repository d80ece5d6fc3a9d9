package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamHealthCheck;
import dev.turnpike.contracts.config.UpstreamTarget;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.tls.BackendCertificates;
import dev.turnpike.testkit.tls.BackendCertificates.Issued;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * TLS from the gateway to backends, with real handshakes on free ports: a backend whose certificate
 * a custom CA signed, one that requires a client certificate, one whose certificate names another
 * host. What the gateway refuses it refuses with API Gateway's network error (504), and the backend
 * sees nothing.
 */
class BackendTlsTest {
  static final String HOSTS = "127.0.0.1 backend.test\n127.0.0.1 other.test\n";
  static final String TENANT = Fixtures.TENANT_ID;

  static Issued ca;
  static Issued backendCert;
  static Issued otherNameCert;
  static Issued clientCa;
  static Issued clientCert;

  final Vertx servers = Vertx.vertx();
  final SealedSecrets secrets = SealedSecrets.fromBase64Key(SealedSecrets.newBase64Key());
  final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
  GatewayRig gateway;

  @BeforeAll
  static void certificates() {
    ca = BackendCertificates.ca("Backend Test CA");
    backendCert = BackendCertificates.server(ca, "backend.test");
    otherNameCert = BackendCertificates.server(ca, "other.test");
    clientCa = BackendCertificates.ca("Client Test CA");
    clientCert = BackendCertificates.client(clientCa, "gateway-client");
  }

  @BeforeEach
  void startGateway() throws Exception {
    gateway = GatewayRig.builder().secrets(secrets).hosts(HOSTS).start();
  }

  @AfterEach
  void stop() {
    gateway.close();
    GatewayRig.await(servers.close());
  }

  /** An HTTPS backend answering 200 with what it saw: the Host header and the client's subject. */
  int backend(Issued certificate, boolean requireClientCertificate) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(0)
            .setSsl(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertValue(Buffer.buffer(certificate.certificatePem()))
                    .setKeyValue(Buffer.buffer(certificate.privateKeyPem())));
    if (requireClientCertificate) {
      options
          .setClientAuth(ClientAuth.REQUIRED)
          .setTrustOptions(
              new PemTrustOptions().addCertValue(Buffer.buffer(clientCa.certificatePem())));
    }
    HttpServer server =
        servers
            .createHttpServer(options)
            .requestHandler(
                request -> {
                  String client = "none";
                  try {
                    client =
                        ((X509Certificate) request.connection().peerCertificates().get(0))
                            .getSubjectX500Principal()
                            .getName();
                  } catch (SSLPeerUnverifiedException e) {
                    // No certificate presented.
                  }
                  seen.add(request.getHeader("host") + " " + client);
                  request.response().end("hello over tls");
                });
    return GatewayRig.await(server.listen()).actualPort();
  }

  /**
   * An http_proxy integration whose connection may take 10 s: the connect timeout covers the TLS
   * handshake, and a JVM's first handshakes on a loaded machine take longer than the fixtures' 1 s
   * (a flaky 504 "Network error" in CI before).
   */
  static IntegrationConfig tlsProxy(String uri) {
    return new IntegrationConfig(
        IntegrationType.HTTP_PROXY, "ANY", uri, 10_000, 29_000, Map.of(), null);
  }

  static IntegrationConfig proxyTo(String uri, BackendTls tls) {
    return tlsProxy(uri).withTls(tls);
  }

  GatewayRig.Response callThrough(IntegrationConfig integration) throws Exception {
    DeploymentSnapshot snapshot =
        deployment("prod", List.of(route("ANY", "/{proxy+}", false, integration)));
    gateway.load(List.of(snapshot), List.of(), List.of());
    return gateway.get("/acme/pets/prod/hello", Map.of());
  }

  static void assertNetworkError(GatewayRig.Response response) {
    assertThat(response.status()).isEqualTo(504);
    assertThat(response.json().getString("message"))
        .isEqualTo("Network error communicating with endpoint");
  }

  BackendTls.ClientCertificate sealedClientCertificate(String tenant, String owner) {
    return new BackendTls.ClientCertificate(
        clientCert.certificatePem(),
        secrets.seal(
            clientCert.privateKeyPem(), BackendTls.ClientCertificate.bindingOf(tenant, owner)),
        owner);
  }

  @Test
  void a_backend_signed_by_a_custom_ca_is_refused_without_its_ca_and_served_with_it()
      throws Exception {
    int port = backend(backendCert, false);
    String uri = "https://backend.test:" + port + "/{proxy}";

    assertNetworkError(callThrough(tlsProxy(uri)));
    assertThat(seen).isEmpty();

    GatewayRig.Response served =
        callThrough(proxyTo(uri, new BackendTls(ca.certificatePem(), false, null, null)));
    assertThat(served.status()).as(served.body()).isEqualTo(200);
    assertThat(served.body()).isEqualTo("hello over tls");
  }

  @Test
  void an_upstreams_https_targets_are_refused_without_the_integrations_ca_and_served_with_it()
      throws Exception {
    int first = backend(backendCert, false);
    int second = backend(backendCert, false);
    UpstreamConfig upstream =
        new UpstreamConfig(
            "secure",
            UpstreamBalancing.ROUND_ROBIN,
            List.of(
                new UpstreamTarget("https://backend.test:" + first, 1),
                new UpstreamTarget("https://backend.test:" + second, 1)),
            null);
    String uri = "upstream://secure/{proxy}";

    assertNetworkError(callThrough(tlsProxy(uri), upstream));
    assertThat(seen).isEmpty();

    IntegrationConfig trusting =
        proxyTo(uri, new BackendTls(ca.certificatePem(), false, null, null));
    for (int i = 0; i < 2; i++) {
      GatewayRig.Response served = callThrough(trusting, upstream);
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.body()).isEqualTo("hello over tls");
    }
    // Round-robin: each target answered once, each handshake with the integration's CA.
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "backend.test:" + first + " none", "backend.test:" + second + " none");
  }

  double targetHealthy(String target) {
    var gauge =
        gateway
            .meters
            .find("turnpike.gateway.upstream.target.healthy")
            .tag("upstream", "secure")
            .tag("target", target)
            .gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  @Test
  void an_upstreams_health_probes_use_the_integrations_ca() throws Exception {
    int port = backend(backendCert, false);
    UpstreamConfig upstream =
        new UpstreamConfig(
            "secure",
            UpstreamBalancing.ROUND_ROBIN,
            List.of(new UpstreamTarget("https://backend.test:" + port, 1)),
            new UpstreamHealthCheck("/health", 1000, 500, 1, 1));
    String uri = "upstream://secure/{proxy}";
    String target = "backend.test:" + port;

    // Without the CA the probe's handshake fails: the target is unhealthy and was never reached.
    gateway.load(
        List.of(
            deployment("prod", List.of(route("ANY", "/{proxy+}", false, tlsProxy(uri)))).toBuilder()
                .upstreams(List.of(upstream))
                .build()),
        List.of(),
        List.of());
    Await.until(
        Duration.ofSeconds(10),
        () -> targetHealthy(target) == 0.0,
        "the probe without the private CA fails");
    assertThat(seen).isEmpty();

    // With it (a new deployment whose integration trusts the CA), the probes pass and reach it.
    gateway.load(
        List.of(
            deployment(
                    "prod",
                    List.of(
                        route(
                            "ANY",
                            "/{proxy+}",
                            false,
                            proxyTo(uri, new BackendTls(ca.certificatePem(), false, null, null)))))
                .toBuilder()
                .upstreams(List.of(upstream))
                .build()),
        List.of(),
        List.of());
    Await.until(
        Duration.ofSeconds(10), () -> !seen.isEmpty(), "a probe reaches the target over TLS");
    Await.until(
        Duration.ofSeconds(10),
        () -> targetHealthy(target) == 1.0,
        "the target passes its probes with the integration's CA");
    assertThat(seen).allMatch(line -> line.equals(target + " none"));
    assertThat(gateway.get("/acme/pets/prod/hello", Map.of()).status()).isEqualTo(200);
  }

  GatewayRig.Response callThrough(IntegrationConfig integration, UpstreamConfig upstream)
      throws Exception {
    DeploymentSnapshot snapshot =
        deployment("prod", List.of(route("ANY", "/{proxy+}", false, integration))).toBuilder()
            .upstreams(List.of(upstream))
            .build();
    gateway.load(List.of(snapshot), List.of(), List.of());
    return gateway.get("/acme/pets/prod/hello", Map.of());
  }

  @Test
  void a_http_integration_trusts_its_ca_too() throws Exception {
    int port = backend(backendCert, false);
    IntegrationConfig http =
        new IntegrationConfig(
                IntegrationType.HTTP,
                "GET",
                "https://backend.test:" + port + "/x",
                1000,
                29_000,
                Map.of(),
                null)
            .withTls(new BackendTls(ca.certificatePem(), false, null, null));

    assertThat(callThrough(http).status()).isEqualTo(200);
  }

  @Test
  void a_certificate_for_another_name_is_refused_by_default() throws Exception {
    int port = backend(otherNameCert, false);

    assertNetworkError(
        callThrough(
            proxyTo(
                "https://backend.test:" + port + "/{proxy}",
                new BackendTls(ca.certificatePem(), false, null, null))));
    assertThat(seen).isEmpty();
  }

  @Test
  void server_name_to_verify_checks_that_name_and_keeps_the_uri_host() throws Exception {
    int port = backend(otherNameCert, false);

    GatewayRig.Response served =
        callThrough(
            proxyTo(
                "https://backend.test:" + port + "/{proxy}",
                new BackendTls(ca.certificatePem(), false, "other.test", null)));

    assertThat(served.status()).isEqualTo(200);
    assertThat(seen).containsExactly("backend.test:" + port + " none");
  }

  @Test
  void server_name_to_verify_does_not_let_a_certificate_for_a_third_name_through()
      throws Exception {
    int port = backend(backendCert, false);

    assertNetworkError(
        callThrough(
            proxyTo(
                "https://backend.test:" + port + "/{proxy}",
                new BackendTls(ca.certificatePem(), false, "other.test", null))));
  }

  @Test
  void insecure_skip_verification_accepts_an_unknown_ca_and_name_only_when_set() throws Exception {
    int port = backend(otherNameCert, false);
    String uri = "https://backend.test:" + port + "/{proxy}";

    assertNetworkError(callThrough(tlsProxy(uri)));
    assertThat(callThrough(proxyTo(uri, new BackendTls(null, true, null, null))).status())
        .isEqualTo(200);
  }

  @Test
  void a_connection_accepted_without_verification_is_not_reused_by_a_verifying_integration()
      throws Exception {
    int port = backend(otherNameCert, false);
    IntegrationConfig insecure =
        proxyTo(
            "https://backend.test:" + port + "/{proxy}", new BackendTls(null, true, null, null));
    IntegrationConfig verifying =
        proxyTo(
            "https://backend.test:" + port + "/{proxy}",
            new BackendTls(ca.certificatePem(), false, null, null));
    gateway.load(
        List.of(
            deployment(
                "prod",
                List.of(
                    route("GET", "/insecure/{proxy+}", false, insecure),
                    route("GET", "/verifying/{proxy+}", false, verifying)))),
        List.of(),
        List.of());

    assertThat(gateway.get("/acme/pets/prod/insecure/a", Map.of()).status()).isEqualTo(200);
    assertNetworkError(gateway.get("/acme/pets/prod/verifying/a", Map.of()));
    assertThat(seen).hasSize(1);
  }

  @Test
  void a_backend_requiring_a_client_certificate_gets_the_integrations_one() throws Exception {
    int port = backend(backendCert, true);
    String uri = "https://backend.test:" + port + "/{proxy}";

    assertNetworkError(
        callThrough(proxyTo(uri, new BackendTls(ca.certificatePem(), false, null, null))));
    assertThat(seen).isEmpty();

    GatewayRig.Response served =
        callThrough(
            proxyTo(
                uri,
                new BackendTls(
                    ca.certificatePem(),
                    false,
                    null,
                    sealedClientCertificate(TENANT, "stage:s-prod"))));
    assertThat(served.status()).isEqualTo(200);
    assertThat(seen).containsExactly("backend.test:" + port + " CN=gateway-client");
  }

  @Test
  void a_client_key_sealed_for_another_tenant_does_not_open_and_the_route_answers_500()
      throws Exception {
    int port = backend(backendCert, true);

    GatewayRig.Response response =
        callThrough(
            proxyTo(
                "https://backend.test:" + port + "/{proxy}",
                new BackendTls(
                    ca.certificatePem(),
                    false,
                    null,
                    sealedClientCertificate(Fixtures.OTHER_TENANT_ID, "stage:s-prod"))));

    assertThat(response.status()).isEqualTo(500);
    assertThat(seen).isEmpty();
  }

  @Test
  void a_backend_with_its_own_tls_settings_is_still_held_to_the_egress_policy() throws Exception {
    gateway.close();
    // The strict policy: loopback is no backend's, whatever the integration's TLS says.
    gateway = GatewayRig.builder().egress(Map.of()).hosts(HOSTS).start();
    int port = backend(otherNameCert, false);
    String uri = "https://backend.test:" + port + "/{proxy}";

    for (BackendTls tls :
        List.of(
            new BackendTls(ca.certificatePem(), false, "other.test", null),
            new BackendTls(null, true, null, null))) {
      GatewayRig.Response refused = callThrough(proxyTo(uri, tls));
      assertThat(refused.status()).isEqualTo(500);
      assertThat(refused.json().getString("message")).isEqualTo("Internal server error");
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void skipping_verification_is_logged_once_per_deployment_naming_its_routes() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Logger logger = (Logger) LoggerFactory.getLogger("dev.turnpike.gateway.runtime");
    logger.addAppender(appender);
    try {
      IntegrationConfig insecure =
          proxyTo("https://backend.test:1/{proxy}", new BackendTls(null, true, null, null));
      IntegrationConfig verifying =
          proxyTo(
              "https://backend.test:1/{proxy}",
              new BackendTls(ca.certificatePem(), false, null, null));
      DeploymentSnapshot first =
          deployment(
              "prod",
              List.of(
                  route("GET", "/insecure", false, insecure),
                  route("GET", "/verifying", false, verifying)));

      gateway.load(List.of(first), List.of(), List.of());
      // A recompile of the same deployment (a plan or key change) does not repeat it.
      gateway.load(List.of(first), List.of(), List.of());
      assertThat(insecureWarnings(appender))
          .singleElement()
          .satisfies(
              message ->
                  assertThat(message)
                      .contains("dep-prod")
                      .contains("GET /insecure")
                      .doesNotContain("/verifying"));

      gateway.load(List.of(redeployed(first, "dep-prod-2")), List.of(), List.of());
      assertThat(insecureWarnings(appender)).hasSize(2);

      gateway.load(
          List.of(deployment("beta", List.of(route("GET", "/verifying", false, verifying)))),
          List.of(),
          List.of());
      assertThat(insecureWarnings(appender)).hasSize(2);
    } finally {
      logger.detachAppender(appender);
    }
  }

  static List<String> insecureWarnings(ListAppender<ILoggingEvent> appender) {
    return appender.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(message -> message.contains("insecureSkipVerification"))
        .toList();
  }

  static DeploymentSnapshot redeployed(DeploymentSnapshot s, String deploymentId) {
    return s.toBuilder().deploymentId(deploymentId).build();
  }

  @Test
  void equal_tls_settings_compile_to_one_options_instance_and_different_ones_do_not() {
    BackendTls settings =
        new BackendTls(
            ca.certificatePem(), false, null, sealedClientCertificate(TENANT, "stage:a"));
    // Another sealing of the same key (a redeploy) is the same config.
    BackendTls resealed =
        new BackendTls(
            ca.certificatePem(), false, null, sealedClientCertificate(TENANT, "stage:a"));

    var first = gateway.upstreams().tlsOptions(TENANT, settings);
    assertThat(gateway.upstreams().tlsOptions(TENANT, resealed)).isSameAs(first);
    assertThat(
            gateway
                .upstreams()
                .tlsOptions(TENANT, new BackendTls(ca.certificatePem(), false, null, null)))
        .isNotSameAs(first);
    assertThat(gateway.upstreams().tlsOptions(TENANT, null)).isNull();
  }
}
