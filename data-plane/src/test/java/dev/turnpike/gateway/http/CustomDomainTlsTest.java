package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.proxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.domain.BasePathMapping;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import dev.turnpike.gateway.domain.CertificateAuthority;
import dev.turnpike.testkit.Await;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The custom-domain listener with real TLS handshakes on loopback: the certificate chosen by SNI
 * among many domains, wildcards, the node certificate for other names, per-domain TLS versions,
 * HTTP/2 through ALPN, certificates swapped and domains removed while connections stay open, and
 * the requests' routing by base path within the domain's tenant.
 */
class CustomDomainTlsTest {
  static final CertificateAuthority.Issued NODE = DomainFixtures.SERVER_CA.server("node.gw.test");

  GatewayRig rig;
  TestBackend backend;
  DomainFixtures domains;
  int tlsPort;

  @BeforeEach
  void start() throws Exception {
    rig = GatewayRig.builder().start();
    backend = TestBackend.start(rig.vertx);
    rig.load(DomainFixtures.deployments(proxy(backend.url() + "/backend")), List.of(), List.of());
    domains = new DomainFixtures(rig);
    tlsPort =
        rig.startDomainsListener(
            new java.security.cert.X509Certificate[] {NODE.certificate()}, NODE.key());
  }

  @AfterEach
  void stop() {
    backend.close();
    rig.close();
  }

  @Test
  void sni_picks_each_domains_certificate_among_a_thousand() throws Exception {
    Map<String, DomainRecord> all = new HashMap<>();
    Map<String, java.math.BigInteger> serials = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      String name = "d" + i + ".acme.test";
      CertificateAuthority.Issued certificate = DomainFixtures.SERVER_CA.server(name);
      all.put(
          name,
          domains.record(name, certificate, TlsSecurityPolicy.TLS_1_2, null, DomainFixtures.PETS));
      serials.put(name, certificate.certificate().getSerialNumber());
    }
    domains.records.putAll(all);
    rig.applyDomains(Map.copyOf(domains.records), all.keySet());
    assertThat(rig.domains.current().size()).isEqualTo(1000);

    long started = System.nanoTime();
    int handshakes = 200;
    for (int i = 0; i < handshakes; i++) {
      String name = "d" + (i * 5) + ".acme.test";
      try (TlsClient client = TlsClient.connect(tlsPort, name)) {
        assertThat(client.serverCertificate().getSerialNumber()).isEqualTo(serials.get(name));
      }
    }
    System.out.printf(
        "%d sequential handshakes (new TLS context each, TLS 1.3, P-256) among 1000 domains:"
            + " %.2f ms each%n",
        handshakes, (System.nanoTime() - started) / 1e6 / handshakes);
    for (int i : new int[] {0, 1, 17, 256, 499, 500, 731, 998, 999}) {
      String name = "d" + i + ".acme.test";
      try (TlsClient client = TlsClient.connect(tlsPort, name)) {
        assertThat(client.serverCertificate().getSerialNumber())
            .as(name)
            .isEqualTo(serials.get(name));
        TlsClient.Answer answer = client.get(name, "/v1/pets");
        assertThat(answer.status()).as(name).isEqualTo(200);
        assertThat(new JsonObject(answer.body()).getString("path")).isEqualTo("/backend");
      }
    }
  }

  @Test
  void a_wildcard_serves_one_label_below_its_parent_and_an_exact_name_wins() throws Exception {
    CertificateAuthority.Issued wildcard = DomainFixtures.SERVER_CA.server("*.wild.test");
    domains.put(
        domains.record(
            "*.wild.test", wildcard, TlsSecurityPolicy.TLS_1_2, null, DomainFixtures.PETS));
    CertificateAuthority.Issued exact = domains.serve("exact.wild.test");

    assertThat(served("a.wild.test")).isEqualTo(wildcard.certificate().getSerialNumber());
    assertThat(served("exact.wild.test")).isEqualTo(exact.certificate().getSerialNumber());
    // One label only, as certificates match; deeper names and other names get the node's.
    assertThat(served("a.b.wild.test")).isEqualTo(NODE.certificate().getSerialNumber());
    assertThat(served("wild.test")).isEqualTo(NODE.certificate().getSerialNumber());
    assertThat(served(null)).isEqualTo(NODE.certificate().getSerialNumber());

    try (TlsClient client = TlsClient.connect(tlsPort, "b.wild.test")) {
      assertThat(client.get("b.wild.test", "/pets").status()).isEqualTo(200);
      // Another name of the same wildcard domain on this connection (HTTP/2 clients coalesce).
      assertThat(client.get("c.wild.test", "/pets").status()).isEqualTo(200);
      // A name of another domain is misdirected: the client must open its own connection.
      TlsClient.Answer other = client.get("exact.wild.test", "/pets");
      assertThat(other.status()).isEqualTo(421);
      assertThat(other.body()).isEqualTo("{\"message\":\"Misdirected Request\"}");
    }
  }

  @Test
  void without_a_node_certificate_an_unknown_name_fails_the_handshake() throws Exception {
    int bare = rig.startDomainsListener(null, null);
    CertificateAuthority.Issued known = domains.serve("known.acme.test");

    try (TlsClient client = TlsClient.connect(bare, "known.acme.test")) {
      assertThat(client.serverCertificate().getSerialNumber())
          .isEqualTo(known.certificate().getSerialNumber());
    }
    assertThatThrownBy(() -> TlsClient.connect(bare, "unknown.acme.test").close())
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> TlsClient.connect(bare, null).close()).isInstanceOf(IOException.class);
  }

  @Test
  void a_tls13_only_domain_refuses_a_tls12_client() throws Exception {
    domains.put(
        domains.record(
            "modern.acme.test",
            DomainFixtures.SERVER_CA.server("modern.acme.test"),
            TlsSecurityPolicy.TLS_1_3,
            null,
            DomainFixtures.PETS));
    domains.serve("classic.acme.test");

    assertThatThrownBy(
            () ->
                TlsClient.connect(
                        tlsPort, "modern.acme.test", List.of("TLSv1.2"), List.of("http/1.1"), null)
                    .close())
        .isInstanceOf(IOException.class);
    try (TlsClient client =
        TlsClient.connect(
            tlsPort, "modern.acme.test", List.of("TLSv1.3"), List.of("http/1.1"), null)) {
      assertThat(client.protocol()).isEqualTo("TLSv1.3");
      assertThat(client.get("modern.acme.test", "/pets").status()).isEqualTo(200);
    }
    try (TlsClient client =
        TlsClient.connect(
            tlsPort, "classic.acme.test", List.of("TLSv1.2"), List.of("http/1.1"), null)) {
      assertThat(client.protocol()).isEqualTo("TLSv1.2");
      assertThat(client.get("classic.acme.test", "/pets").status()).isEqualTo(200);
    }
    // TLS 1.1 and older are never offered, whatever the domain.
    assertThatThrownBy(
            () ->
                TlsClient.connect(
                        tlsPort, "classic.acme.test", List.of("TLSv1.1"), List.of("http/1.1"), null)
                    .close())
        .isInstanceOf(IOException.class);
  }

  @Test
  void http2_is_offered_through_alpn() throws Exception {
    domains.serve("h2.acme.test");
    try (TlsClient client =
        TlsClient.connect(
            tlsPort,
            "h2.acme.test",
            List.of("TLSv1.3", "TLSv1.2"),
            List.of("h2", "http/1.1"),
            null)) {
      assertThat(client.applicationProtocol()).isEqualTo("h2");
    }
  }

  @Test
  void a_domain_is_routed_over_http2_as_over_http1() throws Exception {
    domains.serve("h2.acme.test");
    io.vertx.core.http.HttpClient client =
        rig.vertx.createHttpClient(
            new io.vertx.core.http.HttpClientOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setForceSni(true));
    GatewayRig.Response response =
        GatewayRig.call(
            client,
            new io.vertx.core.http.RequestOptions()
                .setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(tlsPort, "127.0.0.1"))
                .setHost("h2.acme.test")
                .setPort(443)
                .setURI("/v1/pets"),
            Map.of(),
            null);
    assertThat(response.status()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("path")).isEqualTo("/backend");
  }

  @Test
  void a_swapped_certificate_is_served_within_two_seconds_and_open_connections_keep_working()
      throws Exception {
    CertificateAuthority.Issued first = domains.serve("swap.acme.test");
    try (TlsClient open = TlsClient.connect(tlsPort, "swap.acme.test")) {
      assertThat(open.serverCertificate().getSerialNumber())
          .isEqualTo(first.certificate().getSerialNumber());
      assertThat(open.get("swap.acme.test", "/pets").status()).isEqualTo(200);

      CertificateAuthority.Issued second = DomainFixtures.SERVER_CA.server("swap.acme.test");
      long published = System.nanoTime();
      domains.put(
          domains.record(
              "swap.acme.test", second, TlsSecurityPolicy.TLS_1_2, null, DomainFixtures.PETS));
      Await.until(
          Duration.ofSeconds(2),
          () -> second.certificate().getSerialNumber().equals(servedOrNull("swap.acme.test")),
          "the new certificate served to a new handshake");
      long millis = (System.nanoTime() - published) / 1_000_000;
      System.out.println("certificate swap served to new handshakes after " + millis + " ms");

      TlsClient.Answer again = open.get("swap.acme.test", "/v1/pets");
      assertThat(again.status()).isEqualTo(200);
      assertThat(open.serverCertificate().getSerialNumber())
          .isEqualTo(first.certificate().getSerialNumber());
    }
  }

  @Test
  void a_tombstone_stops_serving_the_domain() throws Exception {
    int bare = rig.startDomainsListener(null, null);
    domains.serve("gone.acme.test");
    try (TlsClient open = TlsClient.connect(bare, "gone.acme.test")) {
      assertThat(open.get("gone.acme.test", "/pets").status()).isEqualTo(200);

      domains.remove("gone.acme.test");

      assertThatThrownBy(() -> TlsClient.connect(bare, "gone.acme.test").close())
          .isInstanceOf(IOException.class);
      // A connection opened before is not served the removed domain either.
      TlsClient.Answer after = open.get("gone.acme.test", "/pets");
      assertThat(after.status()).isEqualTo(403);
      assertThat(backendCalls(after)).isFalse();
    }
  }

  @Test
  void base_paths_route_to_their_stage_with_the_remaining_path() throws Exception {
    domains.put(
        domains.record(
            "paths.acme.test",
            DomainFixtures.SERVER_CA.server("paths.acme.test"),
            TlsSecurityPolicy.TLS_1_2,
            null,
            List.of(new BasePathMapping("v1", Fixtures.API_ID, "pets", "prod"))));
    try (TlsClient client = TlsClient.connect(tlsPort, "paths.acme.test")) {
      assertThat(client.get("paths.acme.test", "/v1/pets").status()).isEqualTo(200);
      assertThat(client.get("paths.acme.test", "/v1/pets?x=1").status()).isEqualTo(200);
      // No empty base path here: the path style does not apply to a custom domain.
      assertThat(client.get("paths.acme.test", "/pets").status()).isEqualTo(403);
      assertThat(client.get("paths.acme.test", "/acme/pets/prod/pets").status()).isEqualTo(403);
      assertThat(client.get("paths.acme.test", "/v2/pets").status()).isEqualTo(403);
    }
  }

  @Test
  void a_mapping_naming_another_tenants_api_does_not_reach_it() throws Exception {
    // acme's record names globex's API slug: it is looked up within acme, where it does not exist.
    domains.put(
        domains.record(
            "steal.acme.test",
            DomainFixtures.SERVER_CA.server("steal.acme.test"),
            TlsSecurityPolicy.TLS_1_2,
            null,
            null,
            List.of(new BasePathMapping("", "api-secrets", "secrets", "prod"))));
    try (TlsClient client = TlsClient.connect(tlsPort, "steal.acme.test")) {
      TlsClient.Answer answer = client.get("steal.acme.test", "/pets");
      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.body()).isEqualTo("{\"message\":\"Forbidden\"}").doesNotContain("secret");
    }
    // The same API is reachable through its own tenant's address, so the refusal is the domain's.
    assertThat(rig.get("/globex/secrets/prod/pets", Map.of()).status()).isEqualTo(200);
  }

  @Test
  void a_custom_domain_is_not_served_over_plain_http() throws Exception {
    domains.serve("plain.acme.test");
    GatewayRig.Response response =
        rig.raw("GET /pets HTTP/1.1\r\nHost: plain.acme.test\r\nConnection: close\r\n\r\n");
    assertThat(response.status()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("{\"message\":\"Forbidden\"}");
  }

  @Test
  void host_and_path_style_addresses_keep_working_on_the_tls_listener() throws Exception {
    domains.serve("other.acme.test");
    try (TlsClient client = TlsClient.connect(tlsPort, "pets.acme." + GatewayRig.DOMAIN)) {
      assertThat(client.get("pets.acme." + GatewayRig.DOMAIN, "/prod/pets").status())
          .isEqualTo(200);
      assertThat(client.get("127.0.0.1", "/acme/pets/prod/pets").status()).isEqualTo(200);
    }
  }

  @Test
  void a_record_for_a_host_style_name_does_not_capture_it() throws Exception {
    // globex publishes a domain over acme's host-style names, mapped to its own API.
    String name = "*.acme." + GatewayRig.DOMAIN;
    CertificateAuthority.Issued stolen = DomainFixtures.SERVER_CA.server(name);
    domains.put(
        new DomainRecord(
            1,
            name,
            Fixtures.OTHER_TENANT_ID,
            "globex",
            stolen.certificatePem(),
            rig.secrets.seal(stolen.keyPem(), name),
            TlsSecurityPolicy.TLS_1_2,
            null,
            null,
            List.of(new BasePathMapping("", "api-secrets", "secrets", "prod"))));

    String host = "pets.acme." + GatewayRig.DOMAIN;
    try (TlsClient client = TlsClient.connect(tlsPort, host)) {
      assertThat(client.serverCertificate().getSerialNumber())
          .isEqualTo(NODE.certificate().getSerialNumber());
      TlsClient.Answer answer = client.get(host, "/prod/pets");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(new JsonObject(answer.body()).getString("path")).isEqualTo("/backend");
    }
    GatewayRig.Response plain =
        rig.raw("GET /prod/pets HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.body()).doesNotContain("secret");
  }

  @Test
  void client_renegotiation_is_refused() throws Exception {
    domains.serve("reneg.acme.test");
    try (TlsClient client =
        TlsClient.connect(
            tlsPort, "reneg.acme.test", List.of("TLSv1.2"), List.of("http/1.1"), null)) {
      assertThat(client.get("reneg.acme.test", "/pets").status()).isEqualTo(200);

      // Refused at its ClientHello with an alert, before a certificate is chosen or a key
      // exchange computed: each renegotiation would cost the server a handshake's CPU for a few
      // bytes of the client's. (Left to the JDK's default, the engine starts it and the transport
      // drops the connection part-way, without the alert.)
      assertThatThrownBy(
              () -> {
                client.renegotiate();
                client.get("reneg.acme.test", "/pets");
              })
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("handshake_failure");
    }
  }

  private static boolean backendCalls(TlsClient.Answer answer) {
    return answer.body().contains("\"path\"");
  }

  private java.math.BigInteger served(String name) throws Exception {
    try (TlsClient client = TlsClient.connect(tlsPort, name)) {
      return client.serverCertificate().getSerialNumber();
    }
  }

  private java.math.BigInteger servedOrNull(String name) {
    try {
      return served(name);
    } catch (Exception e) {
      return null;
    }
  }
}
