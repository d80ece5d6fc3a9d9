package dev.turnpike.controlplane.console;

import static dev.turnpike.db.Tables.DOMAINS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.testkit.tls.TestCertificates;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's Domains pages: register, the TXT record to publish, verification, a certificate
 * upload whose key is sealed and never shown again, TLS settings and mappings, each form behind the
 * CSRF token (on the organization shared by every {@link ConsoleFeatureTest}).
 */
class DomainPagesTest extends ConsoleFeatureTest {
  private static final Pattern TXT_VALUE = Pattern.compile("id=\"txt-value\">([A-Za-z0-9_-]+)<");
  private static final TestCertificates.Authority CA = TestCertificates.authority("Console CA");

  String domainsPage;

  @BeforeAll
  void domainsPage() {
    domainsPage = tenantPath + "domains";
  }

  @Test
  void a_domain_is_registered_proved_given_a_certificate_and_mapped_through_the_pages() {
    String name = "console-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
    assertThat(owner.page(domainsPage).body()).contains("Register a domain");

    HttpResponse<String> registered = owner.post(domainsPage, Map.of("domainName", name));
    assertThat(registered.statusCode()).isEqualTo(303);
    HttpResponse<String> detail = owner.follow(registered);
    assertThat(detail.body())
        .contains("is registered: publish its TXT record")
        .contains("_turnpike-challenge." + name)
        .contains("PENDING_OWNERSHIP_VERIFICATION");
    Matcher token = TXT_VALUE.matcher(detail.body());
    assertThat(token.find()).isTrue();
    String page = domainsPage + "/" + name;

    HttpResponse<String> tooEarly = owner.post(page + "/verify", Map.of());
    assertThat(tooEarly.statusCode()).isEqualTo(409);
    assertThat(tooEarly.body())
        .contains("The verification token was not found at the TXT record _turnpike-challenge.");

    world.dns.txt("_turnpike-challenge." + name, token.group(1));
    HttpResponse<String> verified = owner.post(page + "/verify", Map.of());
    assertThat(verified.statusCode()).isEqualTo(303);
    assertThat(owner.follow(verified).body())
        .contains("Control of " + name + " is proved.")
        .contains("PENDING_CERTIFICATE");

    TestCertificates.Issued wrong = CA.server("elsewhere.example.org");
    HttpResponse<String> refused =
        owner.post(
            page + "/certificate",
            Map.of("certificateChain", wrong.chainPem(), "privateKey", wrong.privateKeyPem()));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern("id=\"cert-chain\"[^>]*>[^<]*</textarea>\\s*<p class=\"error\">")
        .doesNotContain(pemLine(wrong.privateKeyPem()));

    TestCertificates.Issued cert = CA.server(name);
    HttpResponse<String> uploaded =
        owner.post(
            page + "/certificate",
            Map.of("certificateChain", cert.chainPem(), "privateKey", cert.privateKeyPem()));
    assertThat(uploaded.statusCode()).isEqualTo(303);
    HttpResponse<String> served = owner.follow(uploaded);
    assertThat(served.body())
        .contains("AVAILABLE")
        .contains("CN=" + name)
        .doesNotContain("PRIVATE KEY")
        .doesNotContain(pemLine(cert.privateKeyPem()));
    DomainRecord record = DomainRecord.CODEC.decode(lastOutbox(Topics.DOMAINS, name));
    assertThat(SealedSecrets.fromBase64Key(world.secretKey).open(record.sealedPrivateKey(), name))
        .isEqualTo(cert.privateKeyPem());

    HttpResponse<String> tls =
        owner.post(
            page + "/settings",
            Map.of("securityPolicy", "TLS_1_3", "truststore", CA.certificatePem()));
    assertThat(tls.statusCode()).isEqualTo(303);
    assertThat(owner.follow(tls).body()).contains("Clients must present a certificate from");

    TestCertificates.Authority impostor = TestCertificates.authority("Console CA");
    HttpResponse<String> forged =
        owner.post(
            page + "/settings",
            Map.of("truststore", CA.certificatePem(), "crls", impostor.crlPem()));
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(forged.body())
        .containsPattern("id=\"tls-crls\"[^>]*>[^<]*</textarea>\\s*<p class=\"error\">");
    TestCertificates.Issued bob = CA.client("bob");
    HttpResponse<String> revoking =
        owner.post(
            page + "/settings",
            Map.of(
                "securityPolicy",
                "TLS_1_3",
                "truststore",
                CA.certificatePem(),
                "crls",
                CA.crlPem(bob.certificate())));
    assertThat(revoking.statusCode()).isEqualTo(303);
    assertThat(owner.follow(revoking).body()).contains("1 revoked");
    // The form shows what is saved, so saving the policy again keeps the truststore and CRLs.
    assertThat(owner.page(page).body())
        .containsPattern("id=\"tls-truststore\"[^>]*>-----BEGIN CERTIFICATE-----")
        .containsPattern("id=\"tls-crls\"[^>]*>-----BEGIN X509 CRL-----");
    assertThat(DomainRecord.CODEC.decode(lastOutbox(Topics.DOMAINS, name)).crlPem())
        .contains("BEGIN X509 CRL");

    String apiId = fixture.api(tenantId);
    fixture.stage(tenantId, apiId, "prod");
    HttpResponse<String> mapped =
        owner.post(page + "/mappings", Map.of("basePath", "v1", "apiId", apiId, "stage", "prod"));
    assertThat(mapped.statusCode()).isEqualTo(303);
    assertThat(DomainRecord.CODEC.decode(lastOutbox(Topics.DOMAINS, name)).mappings())
        .extracting(m -> m.basePath() + "->" + m.stage())
        .containsExactly("v1->prod");
    HttpResponse<String> nested =
        owner.post(
            page + "/mappings", Map.of("basePath", "v1/beta", "apiId", apiId, "stage", "prod"));
    assertThat(nested.statusCode()).isEqualTo(400);
    assertThat(nested.body()).containsPattern("id=\"map-path\"[^>]*>\\s*<p class=\"error\">");

    assertThat(owner.page(domainsPage).body()).contains(name).contains("TLS_1_3 · mutual TLS");
  }

  @Test
  void a_domain_form_without_the_csrf_token_is_refused_and_changes_nothing() {
    String name = "csrf-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
    HttpResponse<String> answer = owner.postRaw(domainsPage, Map.of("domainName", name));
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(db.ownerDsl().fetchCount(DOMAINS, DOMAINS.NAME.eq(name))).isZero();
  }

  @Test
  void the_page_is_in_the_navigation() {
    assertThat(owner.page(domainsPage).body())
        .contains("href=\"/console/t/" + tenantId + "/domains\"");
  }

  private static String pemLine(String pem) {
    return pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
  }
}
