package dev.turnpike.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.contracts.domain.TlsSecurityPolicy;
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
  final DomainRegistry registry = new DomainRegistry(new DomainCompiler(secrets));
  final Map<String, DomainRecord> records = new HashMap<>();

  DomainRecord record(String name, String chainPem, String sealedKey, String truststore) {
    return new DomainRecord(
        1,
        name,
        "t-acme",
        "acme",
        chainPem,
        sealedKey,
        TlsSecurityPolicy.TLS_1_2,
        truststore,
        List.of());
  }

  DomainRecord good(String name) {
    CertificateAuthority.Issued issued = CA.server(name);
    return record(name, issued.certificatePem(), secrets.seal(issued.keyPem(), name), null);
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
    DomainRegistry keyless = new DomainRegistry(null);
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
}
