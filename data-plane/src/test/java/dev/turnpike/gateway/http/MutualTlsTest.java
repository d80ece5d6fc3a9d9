package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.http;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import dev.turnpike.gateway.domain.CertificateAuthority;
import dev.turnpike.testkit.Await;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS per custom domain with real handshakes: a client certificate is verified against the
 * named domain's truststore and no other, a missing, foreign or expired one is refused (in the
 * handshake or with 403), and the verified one's fields reach the backend through parameter
 * mappings and the access log.
 */
class MutualTlsTest {
  static final CertificateAuthority ACME_CLIENTS = CertificateAuthority.create("Acme Client CA");
  static final CertificateAuthority OTHER_CLIENTS = CertificateAuthority.create("Other Client CA");

  GatewayRig rig;
  TestBackend backend;
  DomainFixtures domains;
  int tlsPort;

  @BeforeEach
  void start() throws Exception {
    rig = GatewayRig.builder().start();
    backend = TestBackend.start(rig.vertx);
    IntegrationConfig mapped =
        http(
            "GET",
            backend.url() + "/echo",
            Map.of(
                "integration.request.header.x-cert-subject",
                "context.identity.clientCert.subjectDN",
                "integration.request.header.x-cert-issuer",
                "context.identity.clientCert.issuerDN",
                "integration.request.header.x-cert-serial",
                "context.identity.clientCert.serialNumber",
                "integration.request.header.x-cert-not-before",
                "context.identity.clientCert.validity.notBefore",
                "integration.request.header.x-cert-not-after",
                "context.identity.clientCert.validity.notAfter",
                "integration.request.querystring.pem",
                "context.identity.clientCert.clientCertPem"));
    IntegrationConfig templated =
        GatewayTemplatesTest.mock(
            Map.of("application/json", "{\"statusCode\": 200}"),
            List.of(
                GatewayTemplatesTest.response(
                    null,
                    200,
                    Map.of(),
                    Map.of(
                        "application/json",
                        "{\"subject\": \"$context.identity.clientCert.subjectDN\","
                            + " \"notAfter\": \"$context.identity.clientCert.validity.notAfter\"}"))));
    rig.load(
        DomainFixtures.deployments(
            List.of(
                Fixtures.route("GET", "/pets", false, mapped),
                Fixtures.route("GET", "/template", false, templated))),
        List.of(),
        List.of());
    domains = new DomainFixtures(rig);
    tlsPort = rig.startDomainsListener(null, null);
    domains.put(
        domains.record(
            "mtls.acme.test",
            DomainFixtures.SERVER_CA.server("mtls.acme.test"),
            TlsSecurityPolicy.TLS_1_2,
            ACME_CLIENTS.certificatePem(),
            DomainFixtures.PETS));
    domains.put(
        domains.record(
            "other.acme.test",
            DomainFixtures.SERVER_CA.server("other.acme.test"),
            TlsSecurityPolicy.TLS_1_2,
            OTHER_CLIENTS.certificatePem(),
            DomainFixtures.PETS));
    domains.serve("open.acme.test");
  }

  @AfterEach
  void stop() {
    backend.close();
    rig.close();
  }

  @Test
  void a_certificate_of_the_domains_ca_is_accepted_and_its_fields_reach_the_backend()
      throws Exception {
    CertificateAuthority.Issued alice = ACME_CLIENTS.client("alice");
    for (List<String> protocols : List.of(List.of("TLSv1.3"), List.of("TLSv1.2"))) {
      try (TlsClient client =
          TlsClient.connect(tlsPort, "mtls.acme.test", protocols, List.of("http/1.1"), alice)) {
        TlsClient.Answer answer = client.get("mtls.acme.test", "/v1/pets");
        assertThat(answer.status()).as(protocols.toString()).isEqualTo(200);
        JsonObject echoed = new JsonObject(answer.body());
        JsonObject headers = echoed.getJsonObject("headers");
        assertThat(headers.getString("x-cert-subject")).isEqualTo("CN=alice");
        assertThat(headers.getString("x-cert-issuer")).isEqualTo("CN=Acme Client CA");
        String serialHex = alice.certificate().getSerialNumber().toString(16);
        assertThat(headers.getString("x-cert-serial").replace(":", ""))
            .isEqualTo(serialHex.length() % 2 == 0 ? serialHex : "0" + serialHex);
        assertThat(headers.getString("x-cert-not-before"))
            .matches("[A-Z][a-z]{2} \\d{1,2} \\d{2}:\\d{2}:\\d{2} \\d{4} GMT");
        assertThat(headers.getString("x-cert-not-after")).endsWith(" GMT");
        String query =
            java.net.URLDecoder.decode(
                echoed.getString("query"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(query).isEqualTo("pem=" + alice.certificatePem());
      }
    }
    Await.until(
        Duration.ofSeconds(10),
        () -> rig.accessLogOut.toString().contains("\"clientCertSubject\":\"CN=alice\""),
        () -> "an access-log line with the certificate's subject, have: " + rig.accessLogOut);
  }

  @Test
  void a_mapping_template_reads_the_certificate_from_context() throws Exception {
    CertificateAuthority.Issued alice = ACME_CLIENTS.client("alice");
    try (TlsClient client =
        TlsClient.connect(
            tlsPort, "mtls.acme.test", List.of("TLSv1.3"), List.of("http/1.1"), alice)) {
      TlsClient.Answer answer = client.get("mtls.acme.test", "/template");
      assertThat(answer.status()).isEqualTo(200);
      JsonObject body = new JsonObject(answer.body());
      assertThat(body.getString("subject")).isEqualTo("CN=alice");
      assertThat(body.getString("notAfter")).endsWith(" GMT");
    }
  }

  @Test
  void no_certificate_is_forbidden() throws Exception {
    try (TlsClient client = TlsClient.connect(tlsPort, "mtls.acme.test")) {
      TlsClient.Answer answer = client.get("mtls.acme.test", "/v1/pets");
      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.body()).isEqualTo("{\"message\":\"Forbidden\"}");
    }
  }

  @Test
  void a_certificate_of_another_domains_ca_is_refused() throws Exception {
    // "other.acme.test" trusts this CA; "mtls.acme.test" must not.
    CertificateAuthority.Issued mallory = OTHER_CLIENTS.client("mallory");
    assertThat(outcome("other.acme.test", "other.acme.test", mallory)).isEqualTo("200");
    assertThat(outcome("mtls.acme.test", "mtls.acme.test", mallory)).isIn("refused", "403");
  }

  @Test
  void the_handshake_itself_refuses_a_foreign_certificate() {
    // Under TLS 1.2 the server's verdict on the client certificate comes before its Finished.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TlsClient.connect(
                        tlsPort,
                        "mtls.acme.test",
                        List.of("TLSv1.2"),
                        List.of("http/1.1"),
                        OTHER_CLIENTS.client("mallory"))
                    .close())
        .isInstanceOf(IOException.class);
  }

  @Test
  void a_self_signed_certificate_with_the_cas_name_is_refused() throws Exception {
    CertificateAuthority impostor = CertificateAuthority.create("Acme Client CA");
    assertThat(outcome("mtls.acme.test", "mtls.acme.test", impostor.client("alice")))
        .isIn("refused", "403");
  }

  @Test
  void an_expired_certificate_is_refused() throws Exception {
    assertThat(outcome("mtls.acme.test", "mtls.acme.test", ACME_CLIENTS.expiredClient("alice")))
        .isIn("refused", "403");
  }

  @Test
  void naming_a_domain_without_mutual_tls_in_the_handshake_does_not_open_one_with_it()
      throws Exception {
    // The handshake names the open domain, which verifies nothing; the Host names the mTLS one.
    assertThat(outcome("open.acme.test", "mtls.acme.test", null)).isEqualTo("421");
    assertThat(outcome("open.acme.test", "mtls.acme.test", OTHER_CLIENTS.client("mallory")))
        .isEqualTo("421");
    // Nor does naming another mTLS domain whose CA signed the certificate.
    assertThat(outcome("other.acme.test", "mtls.acme.test", OTHER_CLIENTS.client("mallory")))
        .isEqualTo("421");
    // Nor a handshake naming nothing, which gets the node certificate when there is one.
    assertThat(outcome(null, "mtls.acme.test", ACME_CLIENTS.client("alice")))
        .isIn("refused", "421");
  }

  @Test
  void a_changed_truststore_applies_to_connections_already_open() throws Exception {
    CertificateAuthority.Issued alice = ACME_CLIENTS.client("alice");
    try (TlsClient client =
        TlsClient.connect(
            tlsPort, "mtls.acme.test", List.of("TLSv1.3"), List.of("http/1.1"), alice)) {
      assertThat(client.get("mtls.acme.test", "/pets").status()).isEqualTo(200);
      domains.put(
          domains.record(
              "mtls.acme.test",
              DomainFixtures.SERVER_CA.server("mtls.acme.test"),
              TlsSecurityPolicy.TLS_1_2,
              OTHER_CLIENTS.certificatePem(),
              DomainFixtures.PETS));
      assertThat(client.get("mtls.acme.test", "/pets").status()).isEqualTo(403);
    }
  }

  @Test
  void a_revoked_certificate_is_refused_in_the_handshake_and_a_valid_one_is_accepted()
      throws Exception {
    CertificateAuthority.Issued alice = ACME_CLIENTS.client("alice");
    CertificateAuthority.Issued bob = ACME_CLIENTS.client("bob");
    domains.put(
        domains.record(
            "mtls.acme.test",
            DomainFixtures.SERVER_CA.server("mtls.acme.test"),
            TlsSecurityPolicy.TLS_1_2,
            ACME_CLIENTS.certificatePem(),
            ACME_CLIENTS.crlPem(bob.certificate()),
            DomainFixtures.PETS));

    // TLS 1.2: the server's verdict on the client certificate comes before its Finished.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TlsClient.connect(
                        tlsPort, "mtls.acme.test", List.of("TLSv1.2"), List.of("http/1.1"), bob)
                    .close())
        .isInstanceOf(IOException.class);
    // TLS 1.3: the alert arrives after the client's Finished; no answer ever does.
    assertThat(outcome("mtls.acme.test", "mtls.acme.test", bob)).isEqualTo("refused");
    assertThat(outcome("mtls.acme.test", "mtls.acme.test", alice)).isEqualTo("200");
  }

  @Test
  void a_crl_arriving_through_the_feed_refuses_a_connection_already_open_with_403()
      throws Exception {
    CertificateAuthority.Issued alice = ACME_CLIENTS.client("alice");
    CertificateAuthority.Issued bob = ACME_CLIENTS.client("bob");
    try (TlsClient bobs =
            TlsClient.connect(
                tlsPort, "mtls.acme.test", List.of("TLSv1.3"), List.of("http/1.1"), bob);
        TlsClient alices =
            TlsClient.connect(
                tlsPort, "mtls.acme.test", List.of("TLSv1.3"), List.of("http/1.1"), alice)) {
      assertThat(bobs.get("mtls.acme.test", "/pets").status()).isEqualTo(200);
      assertThat(alices.get("mtls.acme.test", "/pets").status()).isEqualTo(200);
      domains.put(
          domains.record(
              "mtls.acme.test",
              DomainFixtures.SERVER_CA.server("mtls.acme.test"),
              TlsSecurityPolicy.TLS_1_2,
              ACME_CLIENTS.certificatePem(),
              ACME_CLIENTS.crlPem(bob.certificate()),
              DomainFixtures.PETS));
      TlsClient.Answer refused = bobs.get("mtls.acme.test", "/pets");
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body()).isEqualTo("{\"message\":\"Forbidden\"}");
      assertThat(alices.get("mtls.acme.test", "/pets").status()).isEqualTo(200);
    }
    assertThat(outcome("mtls.acme.test", "mtls.acme.test", bob)).isEqualTo("refused");
  }

  @Test
  void an_empty_crl_of_the_domains_ca_revokes_no_one() throws Exception {
    CertificateAuthority.Issued alice = ACME_CLIENTS.client("alice");
    domains.put(
        domains.record(
            "mtls.acme.test",
            DomainFixtures.SERVER_CA.server("mtls.acme.test"),
            TlsSecurityPolicy.TLS_1_2,
            ACME_CLIENTS.certificatePem(),
            ACME_CLIENTS.crlPem(),
            DomainFixtures.PETS));
    assertThat(outcome("mtls.acme.test", "mtls.acme.test", alice)).isEqualTo("200");
  }

  /** "200", "403", ... or "refused" when the handshake or the connection fails. */
  private String outcome(String serverName, String host, CertificateAuthority.Issued clientCert) {
    try (TlsClient client =
        TlsClient.connect(
            tlsPort, serverName, List.of("TLSv1.3", "TLSv1.2"), List.of("http/1.1"), clientCert)) {
      TlsClient.Answer answer = client.get(host, "/pets");
      if (answer.status() == 403) {
        assertThat(answer.body()).isEqualTo("{\"message\":\"Forbidden\"}");
      } else if (answer.status() == 421) {
        assertThat(answer.body()).isEqualTo("{\"message\":\"Misdirected Request\"}");
        assertThat(answer.body()).doesNotContain("path");
      }
      return Integer.toString(answer.status());
    } catch (IOException e) {
      return "refused";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
