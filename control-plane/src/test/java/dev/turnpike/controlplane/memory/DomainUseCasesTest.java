package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Apis.CreateApi;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.deployment.Stages.CreateStage;
import dev.turnpike.controlplane.domain.Domains;
import dev.turnpike.controlplane.domain.Domains.CertificateInput;
import dev.turnpike.controlplane.domain.Domains.DomainView;
import dev.turnpike.controlplane.domain.Domains.MappingInput;
import dev.turnpike.controlplane.domain.Domains.RegisterDomain;
import dev.turnpike.controlplane.domain.Domains.SettingsInput;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tenant.Access;
import dev.turnpike.testkit.dns.StandInDns;
import dev.turnpike.testkit.tls.TestCertificates;
import dev.turnpike.testkit.tls.TestCertificates.Issued;
import dev.turnpike.testkit.tls.TestCertificates.KeyType;
import dev.turnpike.testkit.tls.TestCertificates.Validity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of custom domains on in-memory stores, with ownership proved against a stand-in DNS
 * resolver through the real JNDI lookup: names, uniqueness across tenants, proof of control
 * (wildcards by their zone), certificate and truststore checks, mappings to the tenant's own API
 * stages, and what is published (never an unverified domain, never a key in clear).
 */
class DomainUseCasesTest {
  private static final StandInDns DNS = StandInDns.start();
  private static final TestCertificates.Authority CA = TestCertificates.authority("Domains Root");
  private static final String KEY = SealedSecrets.newBase64Key();

  private final Tenancy t =
      tenancy(
          Map.of(
              "TURNPIKE_SECRET_KEY",
              KEY,
              "TURNPIKE_CP_DOMAIN_DNS_SERVERS",
              DNS.address(),
              "TURNPIKE_CP_DOMAIN_DNS_TIMEOUT_MS",
              "2000"));

  /** A tenancy whose clock reads the time certificates made in the test are valid at. */
  private static Tenancy tenancy(Map<String, String> env) {
    Tenancy tenancy = new Tenancy(env);
    tenancy.cp.advance(Duration.between(tenancy.cp.now(), Instant.now()));
    return tenancy;
  }

  @AfterAll
  static void stopDns() {
    DNS.close();
  }

  private DomainView register(String name) {
    return t.write(tx -> t.u.domains().register(tx, new RegisterDomain(name)));
  }

  private DomainView verify(String name) {
    Domains d = t.u.domains();
    Domains.Challenge challenge = t.write(tx -> d.challenge(tx, name));
    var answer = d.look(challenge);
    return t.write(tx -> d.verify(tx, challenge, answer));
  }

  /** Registered, its TXT record published, verified. */
  private DomainView proven(String name) {
    DomainView view = register(name);
    DNS.txt(view.verification().recordName(), view.verification().recordValue());
    return verify(name);
  }

  private DomainView upload(String name, Issued cert) {
    return upload(name, cert.chainPem(), cert.privateKeyPem());
  }

  private DomainView upload(String name, String chain, String key) {
    return t.write(tx -> t.u.domains().putCertificate(tx, name, new CertificateInput(chain, key)));
  }

  private ApiFailure uploadFails(String name, String chain, String key) {
    return t.failure(
        tx -> t.u.domains().putCertificate(tx, name, new CertificateInput(chain, key)));
  }

  private List<MemoryOutbox.Entry> domainRecords() {
    return t.cp.outbox(t.tenant).stream().filter(e -> e.topic().equals(Topics.DOMAINS)).toList();
  }

  private static List<String> pointers(ApiFailure failure) {
    return failure.errors().stream().map(FieldError::pointer).toList();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
  }

  @Nested
  class Registration {
    @Test
    void registers_a_lower_cased_name_pending_verification_with_the_record_to_publish() {
      DomainView view = register("API.Example.COM.");
      assertThat(view.domainName()).isEqualTo("api.example.com");
      assertThat(view.status()).isEqualTo("PENDING_OWNERSHIP_VERIFICATION");
      assertThat(view.verification().method()).isEqualTo("dns-txt");
      assertThat(view.verification().recordName()).isEqualTo("_turnpike-challenge.api.example.com");
      assertThat(view.verification().recordValue()).matches("[A-Za-z0-9_-]{43}");
      assertThat(view.securityPolicy()).isEqualTo(TlsSecurityPolicy.TLS_1_2);
      assertThat(t.list(tx -> t.u.domains().list(tx)))
          .extracting(DomainView::domainName)
          .containsExactly("api.example.com");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "localhost",
          "-api.example.com",
          "api-.example.com",
          "api..example.com",
          "*.*.example.com",
          "api.*.example.com",
          "*.com",
          "*",
          "exa_mple.com",
          "10.0.0.1",
          "api.example.com/x",
          "ａpi.example.com"
        })
    void refuses_a_name_that_is_not_a_host_name(String name) {
      ApiFailure failure = t.failure(tx -> t.u.domains().register(tx, new RegisterDomain(name)));
      assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
      assertThat(pointers(failure)).containsExactly("/domainName");
      assertThat(t.list(tx -> t.u.domains().list(tx))).isEmpty();
    }

    @Test
    void refuses_a_label_over_63_characters_and_a_name_over_253() {
      String label = "a".repeat(64);
      assertThat(
              t.failure(
                      tx -> t.u.domains().register(tx, new RegisterDomain(label + ".example.com")))
                  .kind())
          .isEqualTo(ProblemKind.VALIDATION_FAILED);
      String longName = ("a".repeat(60) + ".").repeat(4) + "example.com";
      assertThat(longName.length()).isGreaterThan(253);
      assertThat(t.failure(tx -> t.u.domains().register(tx, new RegisterDomain(longName))).kind())
          .isEqualTo(ProblemKind.VALIDATION_FAILED);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "gateway.localhost",
          "pets.acme.gateway.localhost",
          "*.acme.gateway.localhost",
          "GATEWAY.localhost."
        })
    void refuses_the_gateways_own_domain_and_every_name_under_it(String name) {
      // Attack: a custom domain for a host-style name would capture another tenant's calls, keys
      // and tokens included, on the gateway that serves both.
      ApiFailure failure = t.failure(tx -> t.u.domains().register(tx, new RegisterDomain(name)));
      assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
      assertThat(pointers(failure)).containsExactly("/domainName");
      assertThat(failure.errors().get(0).message()).contains("gateway");
      assertThat(t.list(tx -> t.u.domains().list(tx))).isEmpty();
    }

    @Test
    void a_wildcard_of_one_level_is_allowed() {
      assertThat(register("*.example.com").domainName()).isEqualTo("*.example.com");
    }

    @Test
    void a_name_another_tenant_holds_is_refused_with_409_that_tells_nothing_more() {
      register("shop.example.com");
      Caller rival = t.cp.user("rival@example.net");
      UUID rivalTenant = t.cp.tenant(rival, "rival");
      ApiFailure failure =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiFailure.class,
              () ->
                  t.cp.inTenant(
                      rival,
                      rivalTenant,
                      Access.WRITE,
                      tx -> t.u.domains().register(tx, new RegisterDomain("SHOP.example.com"))));
      assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
      assertThat(failure.detail()).isEqualTo("Domain shop.example.com is not available");
      assertThat(failure.detail()).doesNotContain("acme").doesNotContain(t.tenant.toString());
      // ... and cannot read, change or delete it.
      List<DomainView> theirs =
          t.cp.inTenant(rival, rivalTenant, Access.READ, tx -> t.u.domains().list(tx));
      assertThat(theirs).isEmpty();
      ApiFailure notFound =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiFailure.class,
              () ->
                  t.cp.inTenant(
                      rival,
                      rivalTenant,
                      Access.WRITE,
                      tx -> {
                        t.u.domains().delete(tx, "shop.example.com");
                        return null;
                      }));
      assertThat(notFound.kind()).isEqualTo(ProblemKind.NOT_FOUND);
      assertThat(t.list(tx -> t.u.domains().list(tx))).hasSize(1);
    }

    @Test
    void registering_a_name_twice_in_one_tenant_is_a_conflict() {
      register("twice.example.com");
      assertThat(
              t.failure(tx -> t.u.domains().register(tx, new RegisterDomain("twice.example.com")))
                  .kind())
          .isEqualTo(ProblemKind.CONFLICT);
    }

    @Test
    void the_tenant_limit_counts_domains() {
      Tenancy limited =
          tenancy(Map.of("TURNPIKE_CP_LIMIT_DOMAINS_PER_TENANT", "1", "TURNPIKE_SECRET_KEY", KEY));
      limited.write(tx -> limited.u.domains().register(tx, new RegisterDomain("one.example.com")));
      assertThat(
              limited
                  .failure(
                      tx -> limited.u.domains().register(tx, new RegisterDomain("two.example.com")))
                  .kind())
          .isEqualTo(ProblemKind.LIMIT_EXCEEDED);
    }
  }

  @Nested
  class Ownership {
    @Test
    void verification_fails_with_409_until_the_txt_record_holds_the_token() {
      String name = unique("proof");
      DomainView view = register(name);
      Domains d = t.u.domains();
      Domains.Challenge challenge = t.write(tx -> d.challenge(tx, name));
      ApiFailure missing = t.failure(tx -> d.verify(tx, challenge, d.look(challenge)));
      assertThat(missing.kind()).isEqualTo(ProblemKind.CONFLICT);
      assertThat(missing.detail()).contains("_turnpike-challenge." + name);

      DNS.txt(view.verification().recordName(), "someone-elses-token");
      ApiFailure wrong = t.failure(tx -> d.verify(tx, challenge, d.look(challenge)));
      assertThat(wrong.kind()).isEqualTo(ProblemKind.CONFLICT);
      assertThat(t.write(tx -> d.get(tx, name)).verifiedAt()).isNull();

      DNS.txt(view.verification().recordName(), "other", view.verification().recordValue());
      DomainView verified = verify(name);
      assertThat(verified.verifiedAt()).isNotNull();
      assertThat(verified.status()).isEqualTo("PENDING_CERTIFICATE");
    }

    @Test
    void a_resolver_that_does_not_answer_is_503_and_verifies_nothing() {
      StandInDns gone = StandInDns.start();
      String address = gone.address();
      gone.close();
      Tenancy offline =
          tenancy(
              Map.of(
                  "TURNPIKE_CP_DOMAIN_DNS_SERVERS",
                  address,
                  "TURNPIKE_CP_DOMAIN_DNS_TIMEOUT_MS",
                  "200"));
      offline.write(tx -> offline.u.domains().register(tx, new RegisterDomain("dark.example.com")));
      Domains d = offline.u.domains();
      Domains.Challenge challenge = offline.write(tx -> d.challenge(tx, "dark.example.com"));
      var answer = d.look(challenge);
      assertThat(answer.failure()).isNotNull();
      ApiFailure failure = offline.failure(tx -> d.verify(tx, challenge, answer));
      assertThat(failure.kind()).isEqualTo(ProblemKind.UNAVAILABLE);
      assertThat(offline.write(tx -> d.get(tx, "dark.example.com")).verifiedAt()).isNull();
    }

    @Test
    void a_wildcard_is_proved_by_the_zone_record() {
      String zone = unique("zone");
      DomainView view = register("*." + zone);
      assertThat(view.verification().recordName()).isEqualTo("_turnpike-challenge." + zone);
      DNS.txt("_turnpike-challenge." + zone, view.verification().recordValue());
      assertThat(verify("*." + zone).verifiedAt()).isNotNull();
    }

    @Test
    void one_tenants_token_does_not_verify_another_tenants_registration() {
      String name = unique("swap");
      DomainView mine = register(name);
      t.run(tx -> t.u.domains().delete(tx, name));
      DomainView again = register(name);
      // A fresh registration has a fresh token: the old record proves nothing.
      assertThat(again.verification().recordValue())
          .isNotEqualTo(mine.verification().recordValue());
      DNS.txt(mine.verification().recordName(), mine.verification().recordValue());
      Domains d = t.u.domains();
      Domains.Challenge challenge = t.write(tx -> d.challenge(tx, name));
      assertThat(t.failure(tx -> d.verify(tx, challenge, d.look(challenge))).kind())
          .isEqualTo(ProblemKind.CONFLICT);
    }
  }

  @Nested
  class Certificates {
    @Test
    void an_unverified_domain_keeps_its_certificate_unpublished_until_verified() {
      String name = unique("pending");
      DomainView view = register(name);
      DomainView uploaded = upload(name, CA.server(name));
      assertThat(uploaded.certificate().dnsNames()).containsExactly(name);
      assertThat(uploaded.status()).isEqualTo("PENDING_OWNERSHIP_VERIFICATION");
      assertThat(domainRecords()).isEmpty();

      DNS.txt(view.verification().recordName(), view.verification().recordValue());
      assertThat(verify(name).status()).isEqualTo("AVAILABLE");
      assertThat(domainRecords()).hasSize(1);
    }

    @Test
    void the_published_record_carries_the_key_sealed_bound_to_the_name() {
      String name = unique("sealed");
      proven(name);
      Issued cert = CA.intermediate("Issuing CA").server(name);
      upload(name, cert);
      MemoryOutbox.Entry entry = domainRecords().getLast();
      assertThat(entry.key()).isEqualTo(name);
      String json = new String(entry.payload(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(json).doesNotContain("PRIVATE KEY").doesNotContain(pemBody(cert.privateKeyPem()));
      DomainRecord record = DomainRecord.CODEC.decode(entry.payload());
      assertThat(record.tenantSlug()).isEqualTo("acme");
      assertThat(record.certificateChainPem()).isEqualTo(cert.chainPem());
      SealedSecrets secrets = SealedSecrets.fromBase64Key(KEY);
      assertThat(secrets.open(record.sealedPrivateKey(), name)).isEqualTo(cert.privateKeyPem());
      // Bound to its name: copied onto another domain it does not open.
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> secrets.open(record.sealedPrivateKey(), "other.example.com"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(Json.write(t.write(tx -> t.u.domains().get(tx, name))))
          .doesNotContain("PRIVATE KEY")
          .doesNotContain(record.sealedPrivateKey());
    }

    @Test
    void a_replaced_certificate_is_republished() {
      String name = unique("replace");
      proven(name);
      upload(name, CA.server(name));
      Issued second = CA.server(name);
      upload(name, second);
      assertThat(domainRecords()).hasSize(2);
      assertThat(
              DomainRecord.CODEC.decode(domainRecords().getLast().payload()).certificateChainPem())
          .isEqualTo(second.chainPem());
    }

    @Test
    void accepts_a_wildcard_certificate_for_a_name_one_level_under_it() {
      String zone = unique("wild");
      String name = "api." + zone;
      register(name);
      assertThat(upload(name, CA.server("*." + zone)).certificate()).isNotNull();
      String deeper = "a.b." + zone;
      register(deeper);
      assertThat(pointers(uploadFails(deeper, CA.server("*." + zone).chainPem(), key(zone))))
          .contains("/certificateChain");
    }

    @Test
    void a_wildcard_domain_needs_a_wildcard_certificate() {
      String zone = unique("wd");
      register("*." + zone);
      Issued plain = CA.server("api." + zone);
      assertThat(pointers(uploadFails("*." + zone, plain.chainPem(), plain.privateKeyPem())))
          .containsExactly("/certificateChain");
      assertThat(upload("*." + zone, CA.server("*." + zone)).certificate()).isNotNull();
    }

    @Test
    void reads_pkcs1_rsa_and_sec1_ec_keys_and_hands_on_pkcs8() {
      String rsaName = unique("rsa");
      proven(rsaName);
      Issued rsa = CA.server(Validity.current(), KeyType.RSA, rsaName);
      upload(rsaName, rsa.chainPem(), rsa.traditionalPrivateKeyPem());
      DomainRecord record = DomainRecord.CODEC.decode(domainRecords().getLast().payload());
      assertThat(SealedSecrets.fromBase64Key(KEY).open(record.sealedPrivateKey(), rsaName))
          .isEqualTo(rsa.privateKeyPem());

      String ecName = unique("ec");
      register(ecName);
      Issued ec = CA.server(ecName);
      assertThat(upload(ecName, ec.chainPem(), ec.traditionalPrivateKeyPem()).certificate())
          .isNotNull();
    }

    @Test
    void each_bad_upload_is_a_400_at_its_field_that_changes_nothing() {
      String name = unique("bad");
      proven(name);
      Issued good = CA.server(name);
      upload(name, good);
      int published = domainRecords().size();
      Issued expired = CA.server(Validity.expired(), KeyType.EC, name);
      Issued early = CA.server(Validity.notYetValid(), KeyType.EC, name);
      Issued otherName = CA.server("other.example.org");
      TestCertificates.Authority intermediate = CA.intermediate("Mid");
      Issued chained = intermediate.server(name);
      String reversed = TestCertificates.pem(chained.chain().get(1)) + chained.certificatePem();

      assertThat(pointers(uploadFails(name, expired.chainPem(), expired.privateKeyPem())))
          .containsExactly("/certificateChain");
      assertThat(
              uploadFails(name, expired.chainPem(), expired.privateKeyPem())
                  .errors()
                  .get(0)
                  .message())
          .contains("expired");
      assertThat(pointers(uploadFails(name, early.chainPem(), early.privateKeyPem())))
          .containsExactly("/certificateChain");
      assertThat(pointers(uploadFails(name, otherName.chainPem(), otherName.privateKeyPem())))
          .containsExactly("/certificateChain");
      assertThat(pointers(uploadFails(name, good.chainPem(), CA.server(name).privateKeyPem())))
          .containsExactly("/privateKey");
      assertThat(pointers(uploadFails(name, reversed, chained.privateKeyPem())))
          .containsExactly("/certificateChain");
      assertThat(pointers(uploadFails(name, "not a certificate", good.privateKeyPem())))
          .containsExactly("/certificateChain");
      assertThat(
              pointers(
                  uploadFails(
                      name,
                      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                      good.privateKeyPem())))
          .containsExactly("/certificateChain");
      assertThat(pointers(uploadFails(name, good.chainPem(), good.chainPem())))
          .containsExactly("/privateKey");
      assertThat(
              pointers(
                  uploadFails(
                      name,
                      good.chainPem(),
                      good.privateKeyPem().replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"))))
          .containsExactly("/privateKey");
      assertThat(pointers(uploadFails(name, good.chainPem() + good.privateKeyPem(), null)))
          .contains("/privateKey");

      assertThat(domainRecords()).hasSize(published);
      assertThat(t.write(tx -> t.u.domains().get(tx, name)).certificate().sha256Fingerprint())
          .isEqualTo(upload(name, good).certificate().sha256Fingerprint());
    }

    @Test
    void a_key_the_gateway_would_not_serve_is_refused_at_upload() {
      String name = unique("p521");
      proven(name);
      Issued p521 = CA.server(Validity.current(), KeyType.EC_P521, name);

      ApiFailure failure = uploadFails(name, p521.chainPem(), p521.privateKeyPem());

      assertThat(pointers(failure)).containsExactly("/certificateChain");
      assertThat(failure.errors().get(0).message()).contains("P-256 or P-384");
      assertThat(t.write(tx -> t.u.domains().get(tx, name)).certificate()).isNull();
    }

    @Test
    void without_the_operators_secret_key_no_certificate_is_taken() {
      Tenancy keyless = tenancy(Map.of());
      keyless.write(
          tx -> keyless.u.domains().register(tx, new RegisterDomain("nokey.example.com")));
      Issued cert = CA.server("nokey.example.com");
      ApiFailure failure =
          keyless.failure(
              tx ->
                  keyless
                      .u
                      .domains()
                      .putCertificate(
                          tx,
                          "nokey.example.com",
                          new CertificateInput(cert.chainPem(), cert.privateKeyPem())));
      assertThat(failure.kind()).isEqualTo(ProblemKind.UNAVAILABLE);
      assertThat(failure.detail()).contains("TURNPIKE_SECRET_KEY");
    }

    private String key(String zone) {
      return CA.server("*." + zone).privateKeyPem();
    }
  }

  @Nested
  class TlsSettings {
    @Test
    void sets_the_policy_and_a_ca_truststore_and_republishes() {
      String name = unique("mtls");
      proven(name);
      upload(name, CA.server(name));
      TestCertificates.Authority clients = TestCertificates.authority("Client Root");
      DomainView view =
          t.write(
              tx ->
                  t.u
                      .domains()
                      .updateSettings(
                          tx, name, new SettingsInput("TLS_1_3", clients.certificatePem())));
      assertThat(view.securityPolicy()).isEqualTo(TlsSecurityPolicy.TLS_1_3);
      assertThat(view.mutualTls()).isTrue();
      assertThat(view.truststore()).hasSize(1);
      DomainRecord record = DomainRecord.CODEC.decode(domainRecords().getLast().payload());
      assertThat(record.securityPolicy()).isEqualTo(TlsSecurityPolicy.TLS_1_3);
      assertThat(record.mutualTls()).isTrue();
      assertThat(record.truststorePem()).isEqualTo(clients.certificatePem());
    }

    @Test
    void refuses_a_truststore_of_leaf_certificates_or_garbage_and_an_unknown_policy() {
      String name = unique("trust");
      register(name);
      Issued leaf = CA.server(name);
      ApiFailure notCa =
          t.failure(
              tx ->
                  t.u
                      .domains()
                      .updateSettings(tx, name, new SettingsInput(null, leaf.certificatePem())));
      assertThat(pointers(notCa)).containsExactly("/truststore");
      assertThat(
              pointers(
                  t.failure(
                      tx ->
                          t.u
                              .domains()
                              .updateSettings(tx, name, new SettingsInput(null, "garbage")))))
          .containsExactly("/truststore");
      assertThat(
              pointers(
                  t.failure(
                      tx ->
                          t.u
                              .domains()
                              .updateSettings(tx, name, new SettingsInput("TLS_1_0", null)))))
          .containsExactly("/securityPolicy");
      assertThat(t.write(tx -> t.u.domains().get(tx, name)).mutualTls()).isFalse();
    }

    @Test
    void takes_crls_signed_by_a_truststore_ca_and_publishes_them_with_it() {
      String name = unique("crl");
      proven(name);
      upload(name, CA.server(name));
      TestCertificates.Authority clients = TestCertificates.authority("Crl Root");
      Issued bob = clients.client("bob");
      String crl = clients.crlPem(bob.certificate());
      DomainView view =
          t.write(
              tx ->
                  t.u
                      .domains()
                      .updateSettings(
                          tx, name, new SettingsInput(null, clients.certificatePem(), crl)));
      assertThat(view.crls()).hasSize(1);
      assertThat(view.crls().get(0).issuer())
          .isEqualTo(clients.certificate().getSubjectX500Principal().getName());
      assertThat(view.crls().get(0).revoked()).isEqualTo(1);
      assertThat(view.crls().get(0).due()).isFalse();
      DomainRecord record = DomainRecord.CODEC.decode(domainRecords().getLast().payload());
      assertThat(record.revocationLists()).isTrue();
      assertThat(record.crlPem()).isEqualTo(crl);

      // Settings replace all three: without CRLs the record carries none.
      t.write(
          tx ->
              t.u
                  .domains()
                  .updateSettings(tx, name, new SettingsInput(null, clients.certificatePem())));
      assertThat(DomainRecord.CODEC.decode(domainRecords().getLast().payload()).crlPem()).isNull();
    }

    @Test
    void a_crl_past_its_next_update_is_taken_and_shown_due() {
      String name = unique("due");
      register(name);
      TestCertificates.Authority clients = TestCertificates.authority("Due Root");
      String late = clients.crlPem(Instant.now().minus(Duration.ofHours(1)));
      DomainView view =
          t.write(
              tx ->
                  t.u
                      .domains()
                      .updateSettings(
                          tx, name, new SettingsInput(null, clients.certificatePem(), late)));
      assertThat(view.crls()).singleElement().satisfies(c -> assertThat(c.due()).isTrue());
    }

    @Test
    void refuses_crls_of_another_ca_or_without_a_truststore_or_that_are_not_crls() {
      String name = unique("badcrl");
      register(name);
      TestCertificates.Authority clients = TestCertificates.authority("Trusted Root");
      // Same name, another key: a forged CRL could list anyone.
      TestCertificates.Authority impostor = TestCertificates.authority("Trusted Root");
      TestCertificates.Authority other = TestCertificates.authority("Other Root");
      String trust = clients.certificatePem();
      for (SettingsInput in :
          List.of(
              new SettingsInput(null, trust, impostor.crlPem()),
              new SettingsInput(null, trust, other.crlPem()),
              new SettingsInput(null, null, clients.crlPem()),
              new SettingsInput(null, trust, clients.certificatePem()),
              new SettingsInput(null, trust, "garbage"),
              new SettingsInput(null, trust, clients.crlPem().repeat(21)))) {
        assertThat(pointers(t.failure(tx -> t.u.domains().updateSettings(tx, name, in))))
            .as(in.crls())
            .containsExactly("/crls");
      }
      assertThat(t.write(tx -> t.u.domains().get(tx, name)).crls()).isEmpty();
    }
  }

  @Nested
  class Mappings {
    private Api api(Tenancy in, String slug) {
      return in.write(
          tx -> in.u.apis().create(tx, new CreateApi(slug, slug, null, null, null, null)));
    }

    private void stage(Tenancy in, Api api, String stage) {
      in.write(
          tx ->
              in.u
                  .stages()
                  .create(tx, api.id(), new CreateStage(stage, null, null, null, null, null)));
    }

    @Test
    void maps_base_paths_and_the_empty_one_to_the_tenants_stages_and_republishes() {
      String name = unique("map");
      proven(name);
      upload(name, CA.server(name));
      Api orders = api(t, "orders");
      stage(t, orders, "prod");
      t.write(
          tx ->
              t.u
                  .domains()
                  .createMapping(tx, name, new MappingInput("", orders.id().toString(), "prod")));
      t.write(
          tx ->
              t.u
                  .domains()
                  .createMapping(tx, name, new MappingInput("v1", orders.id().toString(), "prod")));
      DomainRecord record = DomainRecord.CODEC.decode(domainRecords().getLast().payload());
      assertThat(record.mappings())
          .extracting(m -> m.basePath() + "->" + m.apiSlug() + "/" + m.stage())
          .containsExactly("->orders/prod", "v1->orders/prod");

      ApiFailure twice =
          t.failure(
              tx ->
                  t.u
                      .domains()
                      .createMapping(
                          tx, name, new MappingInput("v1", orders.id().toString(), "prod")));
      assertThat(twice.kind()).isEqualTo(ProblemKind.CONFLICT);

      t.run(tx -> t.u.domains().deleteMapping(tx, name, Domains.NO_BASE_PATH));
      assertThat(DomainRecord.CODEC.decode(domainRecords().getLast().payload()).mappings())
          .extracting(m -> m.basePath())
          .containsExactly("v1");
    }

    @Test
    void refuses_a_mapping_to_another_tenants_api() {
      String name = unique("steal");
      register(name);
      Caller rival = t.cp.user("rival2@example.net");
      UUID rivalTenant = t.cp.tenant(rival, "rival2");
      Api theirs =
          t.cp.inTenant(
              rival,
              rivalTenant,
              Access.WRITE,
              tx ->
                  t.u.apis().create(tx, new CreateApi("theirs", "theirs", null, null, null, null)));
      t.cp.inTenant(
          rival,
          rivalTenant,
          Access.WRITE,
          tx ->
              t.u
                  .stages()
                  .create(tx, theirs.id(), new CreateStage("prod", null, null, null, null, null)));
      ApiFailure failure =
          t.failure(
              tx ->
                  t.u
                      .domains()
                      .createMapping(
                          tx, name, new MappingInput("", theirs.id().toString(), "prod")));
      assertThat(pointers(failure)).containsExactly("/apiId");
      assertThat(t.list(tx -> t.u.domains().mappings(tx, name))).isEmpty();
    }

    @Test
    void refuses_a_nested_base_path_a_missing_stage_and_a_bad_api_id() {
      String name = unique("paths");
      register(name);
      Api orders = api(t, "orders2");
      stage(t, orders, "prod");
      String id = orders.id().toString();
      assertThat(
              pointers(
                  t.failure(
                      tx ->
                          t.u
                              .domains()
                              .createMapping(tx, name, new MappingInput("v1/beta", id, "prod")))))
          .containsExactly("/basePath");
      assertThat(
              pointers(
                  t.failure(
                      tx ->
                          t.u
                              .domains()
                              .createMapping(tx, name, new MappingInput("v1", id, "staging")))))
          .containsExactly("/stage");
      assertThat(
              pointers(
                  t.failure(
                      tx ->
                          t.u
                              .domains()
                              .createMapping(
                                  tx, name, new MappingInput("v1", "not-a-uuid", "prod")))))
          .containsExactly("/apiId");
    }
  }

  @Nested
  class Withdrawal {
    @Test
    void deleting_a_served_domain_publishes_a_tombstone() {
      String name = unique("gone");
      proven(name);
      upload(name, CA.server(name));
      t.run(tx -> t.u.domains().delete(tx, name));
      MemoryOutbox.Entry last = domainRecords().getLast();
      assertThat(last.key()).isEqualTo(name);
      assertThat(last.payload()).isNull();
      assertThat(t.list(tx -> t.u.domains().list(tx))).isEmpty();
    }

    @Test
    void deleting_an_unverified_domain_publishes_nothing() {
      String name = unique("quiet");
      register(name);
      t.run(tx -> t.u.domains().delete(tx, name));
      assertThat(domainRecords()).isEmpty();
    }
  }

  private static String pemBody(String pem) {
    return pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
  }
}
