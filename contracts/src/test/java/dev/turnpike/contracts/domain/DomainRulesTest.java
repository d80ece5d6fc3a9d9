package dev.turnpike.contracts.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** The rules a custom domain's name, key and PEM sizes follow on both sides of the feed. */
class DomainRulesTest {
  static final String GATEWAY = "gw.example.com";

  @Test
  void the_gateway_domain_names_under_it_and_a_wildcard_covering_it_are_reserved() {
    for (String name :
        new String[] {
          "gw.example.com",
          "GW.Example.com.",
          "*.gw.example.com",
          "victim.gw.example.com",
          "*.victim.gw.example.com",
          "a.b.gw.example.com",
          "*.example.com"
        }) {
      assertThat(DomainRules.reservedProblem(name, GATEWAY)).as(name).isPresent();
    }
    for (String name :
        new String[] {
          "api.example.com", "example.com", "xgw.example.com", "gw.example.com.evil.test", "*.x.com"
        }) {
      assertThat(DomainRules.reservedProblem(name, GATEWAY)).as(name).isEmpty();
    }
  }

  @Test
  void an_ip_address_is_no_custom_domain() {
    for (String name :
        new String[] {"10.0.0.1", "*.0.0.1", "[::1]", "::1", "0x7f000001", "2130706433", "a.b.1"}) {
      assertThat(DomainRules.reservedProblem(name, GATEWAY)).as(name).isPresent();
    }
    assertThat(DomainRules.reservedProblem("1.example.com", GATEWAY)).isEmpty();
  }

  @Test
  void keys_are_rsa_2048_to_4096_or_ec_p256_or_p384() throws Exception {
    assertThat(DomainRules.keyProblem(ec("secp256r1"))).isEmpty();
    assertThat(DomainRules.keyProblem(ec("secp384r1"))).isEmpty();
    assertThat(DomainRules.keyProblem(ec("secp521r1"))).isPresent();
    assertThat(DomainRules.keyProblem(rsa(2048))).isEmpty();
    assertThat(DomainRules.keyProblem(rsa(1024))).isPresent();
    assertThat(DomainRules.keyProblem(null)).isPresent();
  }

  @Test
  void pem_sizes_are_bounded_before_parsing() {
    String block = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assertThat(DomainRules.chainProblem(block.repeat(10))).isEmpty();
    assertThat(DomainRules.chainProblem(block.repeat(11))).isPresent();
    assertThat(DomainRules.chainProblem("x".repeat(64 * 1024 + 1))).isPresent();
    assertThat(DomainRules.truststoreProblem(block.repeat(500))).isEmpty();
    assertThat(DomainRules.truststoreProblem(block.repeat(501))).isPresent();
    assertThat(DomainRules.truststoreProblem("x".repeat(256 * 1024 + 1))).isPresent();
    assertThat(DomainRules.chainCountProblem(11)).isPresent();
    assertThat(DomainRules.truststoreCountProblem(500)).isEmpty();
    String crl = "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n";
    assertThat(DomainRules.crlProblem(crl.repeat(20))).isEmpty();
    assertThat(DomainRules.crlProblem(crl.repeat(21)))
        .hasValue("The CRL bundle holds 21 CRLs, at most 20 are allowed");
    assertThat(DomainRules.crlProblem("x".repeat(256 * 1024 + 1))).isPresent();
  }

  @Test
  void crls_that_do_not_parse_are_refused_with_a_reason() {
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> DomainRules.crls("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("do not parse");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> DomainRules.crls("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hold no CRL");
  }

  private static java.security.PrivateKey ec(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair().getPrivate();
  }

  private static java.security.PrivateKey rsa(int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair().getPrivate();
  }
}
