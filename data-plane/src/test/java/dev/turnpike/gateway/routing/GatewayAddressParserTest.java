package dev.turnpike.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GatewayAddressParserTest {

  private final GatewayAddressParser parser = new GatewayAddressParser("gw.example.com");

  @Nested
  class HostStyle {

    @Test
    void reads_api_and_tenant_from_host_and_stage_from_path() {
      assertThat(parser.parse("pets.acme.gw.example.com", "/prod/pets/42"))
          .contains(new GatewayAddress("acme", "pets", "prod", "/pets/42"));
    }

    @Test
    void ignores_port_case_and_trailing_dot_of_host() {
      assertThat(parser.parse("Pets.ACME.gw.Example.com.:8443", "/prod/pets"))
          .contains(new GatewayAddress("acme", "pets", "prod", "/pets"));
    }

    @Test
    void stage_root_has_path_slash() {
      assertThat(parser.parse("pets.acme.gw.example.com", "/prod"))
          .contains(new GatewayAddress("acme", "pets", "prod", "/"));
      assertThat(parser.parse("pets.acme.gw.example.com", "/prod/"))
          .contains(new GatewayAddress("acme", "pets", "prod", "/"));
    }

    @Test
    void keeps_the_remaining_path_raw() {
      assertThat(parser.parse("pets.acme.gw.example.com", "/prod/a%20b//c/"))
          .contains(new GatewayAddress("acme", "pets", "prod", "/a%20b//c/"));
    }

    @Test
    void missing_stage_does_not_parse() {
      assertThat(parser.parse("pets.acme.gw.example.com", "/")).isEmpty();
      assertThat(parser.parse("pets.acme.gw.example.com", "//prod")).isEmpty();
    }

    @Test
    void host_in_domain_with_wrong_label_count_does_not_parse() {
      assertThat(parser.parse("acme.gw.example.com", "/acme/pets/prod")).isEmpty();
      assertThat(parser.parse("x.pets.acme.gw.example.com", "/prod")).isEmpty();
      assertThat(parser.parse(".acme.gw.example.com", "/prod")).isEmpty();
    }

    @Test
    void a_domain_that_only_ends_like_the_gateway_domain_is_path_style() {
      assertThat(parser.parse("pets.acme.evilgw.example.com", "/t/a/s"))
          .contains(new GatewayAddress("t", "a", "s", "/"));
    }
  }

  @Nested
  class PathStyle {

    @Test
    void reads_tenant_api_and_stage_from_path_on_localhost() {
      assertThat(parser.parse("localhost:8080", "/acme/pets/prod/pets/42"))
          .contains(new GatewayAddress("acme", "pets", "prod", "/pets/42"));
    }

    @Test
    void applies_to_ip_addresses_and_the_bare_gateway_domain() {
      GatewayAddress expected = new GatewayAddress("acme", "pets", "prod", "/x");

      assertThat(parser.parse("10.0.0.7:80", "/acme/pets/prod/x")).contains(expected);
      assertThat(parser.parse("[::1]:8080", "/acme/pets/prod/x")).contains(expected);
      assertThat(parser.parse("gw.example.com", "/acme/pets/prod/x")).contains(expected);
      assertThat(parser.parse(null, "/acme/pets/prod/x")).contains(expected);
    }

    @Test
    void stage_root_has_path_slash() {
      assertThat(parser.parse("localhost", "/acme/pets/prod"))
          .contains(new GatewayAddress("acme", "pets", "prod", "/"));
    }

    @Test
    void incomplete_or_empty_segments_do_not_parse() {
      assertThat(parser.parse("localhost", "/")).isEmpty();
      assertThat(parser.parse("localhost", "/acme")).isEmpty();
      assertThat(parser.parse("localhost", "/acme/pets")).isEmpty();
      assertThat(parser.parse("localhost", "/acme/pets/")).isEmpty();
      assertThat(parser.parse("localhost", "//pets/prod")).isEmpty();
      assertThat(parser.parse("localhost", "/acme//prod/x")).isEmpty();
    }

    @Test
    void path_without_leading_slash_does_not_parse() {
      assertThat(parser.parse("localhost", "acme/pets/prod")).isEmpty();
      assertThat(parser.parse("localhost", "*")).isEmpty();
      assertThat(parser.parse("localhost", null)).isEmpty();
    }
  }

  @Test
  void normalizes_the_configured_domain() {
    GatewayAddressParser dotted = new GatewayAddressParser(" .GW.Example.com. ");

    assertThat(dotted.gatewayDomain()).isEqualTo("gw.example.com");
    assertThat(dotted.parse("pets.acme.gw.example.com", "/prod"))
        .contains(new GatewayAddress("acme", "pets", "prod", "/"));
  }

  @Test
  void rejects_a_blank_domain() {
    assertThatThrownBy(() -> new GatewayAddressParser(" . "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Gateway domain must not be blank");
  }
}
