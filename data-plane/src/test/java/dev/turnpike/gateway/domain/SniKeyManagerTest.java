package dev.turnpike.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The aliases the TLS key manager hands out, and how long it holds the domains behind them. */
class SniKeyManagerTest {
  static final CertificateAuthority CA = CertificateAuthority.create("SNI CA");

  final AtomicReference<DomainTable> table = new AtomicReference<>(DomainTable.EMPTY);
  final SniKeyManager keys = new SniKeyManager(table::get, null, null);

  static ServedDomain served(String name, CertificateAuthority.Issued issued, long sequence) {
    return new ServedDomain(
        name,
        "t-acme",
        "acme",
        new X509Certificate[] {issued.certificate()},
        issued.key(),
        TlsSecurityPolicy.TLS_1_2,
        null,
        Map.of(),
        sequence);
  }

  @Test
  void a_replaced_domain_is_forgotten_on_swap() {
    CertificateAuthority.Issued first = CA.server("a.acme.test");
    table.set(new DomainTable(Map.of("a.acme.test", served("a.acme.test", first, 1))));
    String old = keys.alias("a.acme.test", "EC", "TLSv1.3");
    assertThat(keys.getPrivateKey(old)).isSameAs(first.key());

    CertificateAuthority.Issued second = CA.server("a.acme.test");
    table.set(new DomainTable(Map.of("a.acme.test", served("a.acme.test", second, 2))));

    // The replaced domain's key leaves the heap with it, and its alias never serves again.
    assertThat(keys.getPrivateKey(old)).isNull();
    assertThat(keys.getCertificateChain(old)).isNull();
    String current = keys.alias("a.acme.test", "EC", "TLSv1.3");
    assertThat(current).isNotEqualTo(old);
    assertThat(keys.getPrivateKey(current)).isSameAs(second.key());
    assertThat(keys.getCertificateChain(current)[0]).isEqualTo(second.certificate());

    // A removed domain likewise.
    table.set(DomainTable.EMPTY);
    assertThat(keys.getPrivateKey(current)).isNull();
  }

  @Test
  void an_alias_names_one_compiled_domain_whatever_its_identity_hash() {
    CertificateAuthority.Issued first = CA.server("b.acme.test");
    CertificateAuthority.Issued second = CA.server("b.acme.test");
    table.set(new DomainTable(Map.of("b.acme.test", served("b.acme.test", first, 7))));
    String one = keys.alias("b.acme.test", "EC", "TLSv1.2");
    table.set(new DomainTable(Map.of("b.acme.test", served("b.acme.test", second, 8))));
    String two = keys.alias("b.acme.test", "EC", "TLSv1.2");

    assertThat(one).isEqualTo("b.acme.test#7");
    assertThat(two).isEqualTo("b.acme.test#8");
    assertThat(keys.getPrivateKey(two)).isSameAs(second.key());
  }
}
