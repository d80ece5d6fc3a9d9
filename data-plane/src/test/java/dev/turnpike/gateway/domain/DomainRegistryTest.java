package dev.turnpike.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.KeyPair;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Records that cannot be served are skipped one by one, each with an error naming it, without
 * touching the domains that can.
 */
class DomainRegistryTest {
  static final CertificateAuthority CA = CertificateAuthority.create("Registry CA");
  final SealedSecrets secrets = SealedSecrets.fromBase64Key(SealedSecrets.newBase64Key());
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final DomainRegistry registry =
      new DomainRegistry(new DomainCompiler(secrets), "gw.example.com", meters);
  final Map<String, DomainRecord> records = new HashMap<>();

  DomainRecord record(String name, String chainPem, String sealedKey, String truststore) {
    return record("t-acme", name, chainPem, sealedKey, truststore);
  }

  DomainRecord record(
      String tenantId, String name, String chainPem, String sealedKey, String truststore) {
    return new DomainRecord(
        1,
        name,
        tenantId,
        tenantId.substring(2),
        chainPem,
        sealedKey,
        TlsSecurityPolicy.TLS_1_2,
        truststore,
        null,
        List.of());
  }

  DomainRecord good(String name) {
    return good(name, CA.server(name));
  }

  DomainRecord good(String name, CertificateAuthority.Issued issued) {
    return record(name, issued.certificatePem(), secrets.seal(issued.keyPem(), name), null);
  }

  /** An 8192-bit RSA key takes seconds to make: once, and only for the test that needs it. */
  private static final class Oversized {
    static final KeyPair RSA_8192 = CertificateAuthority.rsaKeys(8192);
  }

  void put(DomainRecord record) {
    records.put(record.domainName(), record);
    registry.apply(Map.copyOf(records), Set.of(record.domainName()), false);
  }

  @Test
  void a_record_that_does_not_open_or_parse_is_skipped_and_the_others_stay() {
    put(good("ok.acme.test"));
    CertificateAuthority.Issued issued = CA.server("bad.acme.test");
    SealedSecrets otherOperator = SealedSecrets.fromBase64Key(SealedSecrets.newBase64Key());

    // Sealed under another operator key.
    put(
        record(
            "bad1.acme.test",
            issued.certificatePem(),
            otherOperator.seal(issued.keyPem(), "bad1.acme.test"),
            null));
    // Sealed for another domain: copied from a record that was allowed it.
    put(
        record(
            "bad2.acme.test",
            issued.certificatePem(),
            secrets.seal(issued.keyPem(), "ok.acme.test"),
            null));
    // A chain that is not PEM.
    put(
        record(
            "bad3.acme.test",
            "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
            secrets.seal(issued.keyPem(), "bad3.acme.test"),
            null));
    // A key that is not the certificate's.
    put(
        record(
            "bad4.acme.test",
            CA.server("bad4.acme.test").certificatePem(),
            secrets.seal(issued.keyPem(), "bad4.acme.test"),
            null));
    // A truststore that is not PEM.
    CertificateAuthority.Issued fifth = CA.server("bad5.acme.test");
    put(
        record(
            "bad5.acme.test",
            fifth.certificatePem(),
            secrets.seal(fifth.keyPem(), "bad5.acme.test"),
            "garbage"));

    DomainTable table = registry.current();
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.lookup("ok.acme.test")).isNotNull();
    for (int i = 1; i <= 5; i++) {
      assertThat(table.lookup("bad" + i + ".acme.test")).as("bad" + i).isNull();
    }
  }

  @Test
  void a_crl_not_signed_by_a_ca_of_the_truststore_is_not_served() {
    CertificateAuthority clients = CertificateAuthority.create("Registry Clients");
    // Same name as the domain's CA, another key: it could list anyone, and is refused.
    CertificateAuthority impostor = CertificateAuthority.create("Registry Clients");
    CertificateAuthority.Issued signed = CA.server("signed.acme.test");
    CertificateAuthority.Issued forged = CA.server("forged.acme.test");
    put(
        withCrl(
            record(
                "signed.acme.test",
                signed.certificatePem(),
                secrets.seal(signed.keyPem(), "signed.acme.test"),
                clients.certificatePem()),
            clients.crlPem(clients.client("bob").certificate())));
    put(
        withCrl(
            record(
                "forged.acme.test",
                forged.certificatePem(),
                secrets.seal(forged.keyPem(), "forged.acme.test"),
                clients.certificatePem()),
            impostor.crlPem()));

    assertThat(registry.current().lookup("signed.acme.test")).isNotNull();
    assertThat(registry.current().lookup("forged.acme.test")).isNull();
  }

  private static DomainRecord withCrl(DomainRecord r, String crlPem) {
    return new DomainRecord(
        r.schemaVersion(),
        r.domainName(),
        r.tenantId(),
        r.tenantSlug(),
        r.certificateChainPem(),
        r.sealedPrivateKey(),
        r.securityPolicy(),
        r.truststorePem(),
        crlPem,
        r.mappings());
  }

  @Test
  void a_broken_update_of_a_served_domain_stops_serving_it_rather_than_keeping_the_old_one() {
    put(good("ok.acme.test"));
    DomainRecord broken =
        record("ok.acme.test", CA.server("ok.acme.test").certificatePem(), "v1:AAAA", null);
    put(broken);
    assertThat(registry.current().lookup("ok.acme.test")).isNull();
  }

  @Test
  void a_tombstone_removes_the_domain_and_everything_rebuilds_from_the_records() {
    put(good("a.acme.test"));
    put(good("b.acme.test"));
    records.remove("a.acme.test");
    registry.apply(Map.copyOf(records), Set.of("a.acme.test"), false);
    assertThat(registry.current().lookup("a.acme.test")).isNull();
    assertThat(registry.current().lookup("b.acme.test")).isNotNull();

    registry.apply(Map.of(), Set.of(), true);
    assertThat(registry.current().isEmpty()).isTrue();
  }

  @Test
  void without_the_operator_key_no_domain_is_served() {
    DomainRegistry keyless = new DomainRegistry(null, "gw.example.com", meters);
    DomainRecord record = good("ok.acme.test");
    keyless.apply(Map.of("ok.acme.test", record), Set.of("ok.acme.test"), false);
    assertThat(keyless.current().isEmpty()).isTrue();
  }

  @Test
  void a_record_keyed_by_another_name_is_not_served() {
    DomainRecord record = good("ok.acme.test");
    registry.apply(Map.of("evil.acme.test", record), Set.of("evil.acme.test"), false);
    assertThat(registry.current().isEmpty()).isTrue();
  }

  @Test
  void a_record_under_the_gateway_domain_is_not_served() {
    put(good("ok.acme.test"));
    // Each would take other tenants' host- or path-style traffic, with their keys and tokens.
    for (String name :
        List.of(
            "gw.example.com",
            "*.gw.example.com",
            "victim.gw.example.com",
            "*.victim.gw.example.com",
            "pets.victim.gw.example.com",
            "*.example.com",
            "10.0.0.1",
            "*.0.0.1",
            "[::1]",
            "0x7f000001")) {
      put(good(name));
    }

    DomainTable table = registry.current();
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.lookup("ok.acme.test")).isNotNull();
    assertThat(table.lookup("gw.example.com")).isNull();
    assertThat(table.lookup("pets.victim.gw.example.com")).isNull();
    assertThat(table.lookup("10.0.0.1")).isNull();
    // A name beside the gateway's, not under it, is a tenant's to prove.
    put(good("gw.example.com.evil.test"));
    put(good("xgw.example.com"));
    assertThat(registry.current().size()).isEqualTo(3);
  }

  @Test
  void an_oversized_rsa_key_is_skipped() {
    put(good("ok.acme.test"));
    put(good("rsa.acme.test", CA.server("rsa.acme.test", CertificateAuthority.rsaKeys(2048))));
    assertThat(registry.current().lookup("rsa.acme.test")).isNotNull();

    // Each handshake with this key costs the listener tens of times a 2048-bit one's.
    put(good("huge.acme.test", CA.server("huge.acme.test", Oversized.RSA_8192)));
    put(good("weak.acme.test", CA.server("weak.acme.test", CertificateAuthority.rsaKeys(1024))));
    put(
        good(
            "p521.acme.test",
            CA.server("p521.acme.test", CertificateAuthority.ecKeys("secp521r1"))));
    put(
        good(
            "p384.acme.test",
            CA.server("p384.acme.test", CertificateAuthority.ecKeys("secp384r1"))));

    DomainTable table = registry.current();
    assertThat(table.lookup("huge.acme.test")).isNull();
    assertThat(table.lookup("weak.acme.test")).isNull();
    assertThat(table.lookup("p521.acme.test")).isNull();
    assertThat(table.lookup("ok.acme.test")).isNotNull();
    assertThat(table.lookup("rsa.acme.test")).isNotNull();
    assertThat(table.lookup("p384.acme.test")).isNotNull();
    assertThat(table.size()).isEqualTo(3);
  }

  @Test
  void an_oversized_truststore_is_skipped() {
    put(good("ok.acme.test"));
    CertificateAuthority.Issued issued = CA.server("mtls.acme.test");
    String sealed = secrets.seal(issued.keyPem(), "mtls.acme.test");
    put(
        record(
            "mtls.acme.test",
            issued.certificatePem(),
            sealed,
            CertificateAuthority.bundle(List.of(CA.certificate()))));
    assertThat(registry.current().lookup("mtls.acme.test")).isNotNull();

    // 501 anchors, over 256 KiB too: every node holds every domain's truststore in memory.
    String huge = CertificateAuthority.bundle(Collections.nCopies(501, CA.certificate()));
    put(record("mtls.acme.test", issued.certificatePem(), sealed, huge));

    assertThat(registry.current().lookup("mtls.acme.test")).isNull();
    assertThat(registry.current().lookup("ok.acme.test")).isNotNull();
  }

  @Test
  void an_overlong_chain_is_skipped() {
    put(good("ok.acme.test"));
    CertificateAuthority.Issued issued = CA.server("long.acme.test");
    String chain =
        issued.certificatePem()
            + CertificateAuthority.bundle(Collections.nCopies(10, CA.certificate()));
    put(record("long.acme.test", chain, secrets.seal(issued.keyPem(), "long.acme.test"), null));

    assertThat(registry.current().lookup("long.acme.test")).isNull();
    assertThat(registry.current().lookup("ok.acme.test")).isNotNull();
  }

  @Test
  void an_owner_change_without_tombstone_is_reported() {
    put(good("shop.acme.test"));
    CertificateAuthority.Issued issued = CA.server("shop.acme.test");
    put(
        record(
            "t-globex",
            "shop.acme.test",
            issued.certificatePem(),
            secrets.seal(issued.keyPem(), "shop.acme.test"),
            null));
    assertThat(meters.counter("turnpike.gateway.domains.owner.changes").count()).isEqualTo(1);

    // Through a tombstone, the name changing hands is the control plane's ordinary business.
    records.remove("shop.acme.test");
    registry.apply(Map.copyOf(records), Set.of("shop.acme.test"), false);
    put(good("shop.acme.test"));
    // Nor is the same owner's update or a full rebuild a change.
    put(good("shop.acme.test"));
    registry.apply(Map.copyOf(records), Set.of(), true);
    assertThat(meters.counter("turnpike.gateway.domains.owner.changes").count()).isEqualTo(1);
  }
}
