package dev.turnpike.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.domain.BasePathMapping;
import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import dev.turnpike.gateway.routing.GatewayAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which domain serves a host name, and where its base paths lead. */
class DomainTableTest {
  static ServedDomain domain(String name, List<BasePathMapping> mappings) {
    return new ServedDomain(
        name,
        "t-acme",
        "acme",
        new X509Certificate[0],
        null,
        TlsSecurityPolicy.TLS_1_2,
        null,
        ServedDomain.byBasePath(mappings),
        0);
  }

  static final List<BasePathMapping> MAPPINGS =
      List.of(
          new BasePathMapping("v1", "api-1", "pets", "prod"),
          new BasePathMapping("v2", "api-2", "orders", "beta"),
          new BasePathMapping("", "api-3", "root", "prod"));

  @Test
  void an_exact_name_wins_over_the_wildcard_which_covers_one_label() {
    ServedDomain wildcard = domain("*.example.com", List.of());
    ServedDomain exact = domain("api.example.com", List.of());
    DomainTable table =
        new DomainTable(Map.of("*.example.com", wildcard, "api.example.com", exact));

    assertThat(table.lookup("api.example.com")).isSameAs(exact);
    assertThat(table.lookup("API.Example.com.")).isSameAs(exact);
    assertThat(table.lookup("shop.example.com")).isSameAs(wildcard);
    assertThat(table.lookup("a.shop.example.com")).isNull();
    assertThat(table.lookup("example.com")).isNull();
    assertThat(table.lookup("com")).isNull();
    assertThat(table.lookup(null)).isNull();
    assertThat(table.lookup("")).isNull();
  }

  @Test
  void the_first_segment_picks_a_base_path_then_the_empty_one_takes_the_rest() {
    ServedDomain served = domain("api.example.com", MAPPINGS);

    assertThat(served.map("/v1/pets/7"))
        .contains(new GatewayAddress("acme", "pets", "prod", "/pets/7"));
    assertThat(served.map("/v1")).contains(new GatewayAddress("acme", "pets", "prod", "/"));
    assertThat(served.map("/v2/")).contains(new GatewayAddress("acme", "orders", "beta", "/"));
    assertThat(served.map("/v10/x")).contains(new GatewayAddress("acme", "root", "prod", "/v10/x"));
    assertThat(served.map("/")).contains(new GatewayAddress("acme", "root", "prod", "/"));
  }

  @Test
  void without_an_empty_base_path_other_paths_reach_nothing() {
    ServedDomain served = domain("api.example.com", MAPPINGS.subList(0, 2));

    assertThat(served.map("/pets")).isEmpty();
    assertThat(served.map("/")).isEmpty();
    assertThat(served.map("")).isEmpty();
    assertThat(served.map("/v1/pets")).isPresent();
  }

  @Test
  void the_domain_maps_within_its_own_tenant_whatever_the_mapping_says() {
    ServedDomain served =
        domain("api.example.com", List.of(new BasePathMapping("", "api-x", "globex-api", "prod")));

    assertThat(served.map("/x")).contains(new GatewayAddress("acme", "globex-api", "prod", "/x"));
  }
}
