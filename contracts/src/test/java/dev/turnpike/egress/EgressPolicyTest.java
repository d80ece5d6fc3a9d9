package dev.turnpike.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.settings.SettingsReader;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EgressPolicyTest {
  static InetAddress ip(String literal) {
    InetAddress address = HostLiteral.parse(literal);
    assertThat(address).as("literal %s", literal).isNotNull();
    return address;
  }

  static EgressPolicy policy(Map<String, String> env) {
    return policy(env, List.of());
  }

  static EgressPolicy policy(Map<String, String> env, List<HostPort> own) {
    SettingsReader read = new SettingsReader(env);
    EgressSettings settings = EgressSettings.read(read, KEYS);
    read.failOnProblems("test");
    return settings.policy(FAKE_NETWORK, own);
  }

  static final EgressSettings.Keys KEYS =
      new EgressSettings.Keys("MODE", "ALLOW", "TENANT_ALLOW", "LISTENERS");

  /** keycloak.test resolves to 10.9.9.9; this machine has 192.168.1.10. */
  static final MachineNetwork FAKE_NETWORK =
      new MachineNetwork() {
        @Override
        public List<InetAddress> resolve(String host) {
          return host.equals("keycloak.test") ? List.of(ip("10.9.9.9")) : List.of();
        }

        @Override
        public Set<InetAddress> ownAddresses() {
          return Set.of(ip("192.168.1.10"), ip("127.0.0.1"));
        }
      };

  @Nested
  class Address_classes {
    @ParameterizedTest
    @CsvSource({
      "127.0.0.1, LOOPBACK",
      "127.255.0.9, LOOPBACK",
      "::1, LOOPBACK",
      "::ffff:127.0.0.1, LOOPBACK",
      "::127.0.0.1, LOOPBACK",
      "64:ff9b::7f00:1, LOOPBACK",
      "10.0.0.1, PRIVATE",
      "172.16.0.1, PRIVATE",
      "172.31.255.255, PRIVATE",
      "192.168.0.1, PRIVATE",
      "100.64.0.1, PRIVATE",
      "100.127.255.254, PRIVATE",
      "198.18.0.1, PRIVATE",
      "fc00::1, PRIVATE",
      "fd12:3456::1, PRIVATE",
      "fec0::1, PRIVATE",
      "::ffff:10.1.2.3, PRIVATE",
      "2002:0a00:0001::1, PRIVATE",
      "169.254.1.1, LINK_LOCAL",
      "fe80::1, LINK_LOCAL",
      "169.254.169.254, METADATA",
      "::ffff:169.254.169.254, METADATA",
      "fd00:ec2::254, METADATA",
      "100.100.100.200, METADATA",
      "169.254.170.2, METADATA",
      "224.0.0.1, MULTICAST",
      "239.255.255.250, MULTICAST",
      "ff02::1, MULTICAST",
      "0.0.0.0, UNSPECIFIED",
      "0.1.2.3, UNSPECIFIED",
      "::, UNSPECIFIED",
      "255.255.255.255, RESERVED",
      "240.0.0.1, RESERVED",
      "192.0.2.1, RESERVED",
      "2001:db8::1, RESERVED",
      "8.8.8.8, PUBLIC",
      "172.32.0.1, PUBLIC",
      "100.128.0.1, PUBLIC",
      "2606:4700::1111, PUBLIC",
      "::ffff:8.8.8.8, PUBLIC"
    })
    void classifies(String address, AddressClass expected) {
      assertThat(AddressClass.of(ip(address))).isEqualTo(expected);
    }
  }

  @Nested
  class Host_literals {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "127.0.0.1",
          "2130706433",
          "0177.0.0.1",
          "0x7f.0.0.1",
          "0x7F000001",
          "127.1",
          "127.0.1",
          "0177.1",
          "127.0.0.1.",
          "017700000001"
        })
    void reads_every_spelling_of_loopback(String host) {
      assertThat(HostLiteral.parse(host)).isEqualTo(ip("127.0.0.1"));
    }

    @Test
    void reads_ipv6_with_or_without_brackets() {
      assertThat(HostLiteral.parse("[::1]")).isEqualTo(ip("::1"));
      assertThat(AddressClass.of(HostLiteral.parse("[::ffff:127.0.0.1]")))
          .isEqualTo(AddressClass.LOOPBACK);
      assertThat(HostLiteral.parse("[fd00:ec2::254]")).isEqualTo(ip("fd00:ec2::254"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "example.com",
          "evil.test",
          "1.2.3.4.5",
          "08.0.0.1",
          "256.0.0.1",
          "4294967296",
          "1e100.net",
          "[not-an-address]",
          "0x1g.0.0.1"
        })
    void leaves_names_and_non_addresses_to_the_resolver(String host) {
      assertThat(HostLiteral.parse(host)).isNull();
    }
  }

  @Nested
  class Strict_default {
    final EgressPolicy strict = EgressPolicy.strict();

    @Test
    void allows_public_addresses() {
      assertThat(strict.check("t1", ip("93.184.216.34"), 443).allowed()).isTrue();
      assertThat(strict.check("t1", ip("2606:4700::1111"), 443).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "127.0.0.1",
          "::1",
          "::ffff:127.0.0.1",
          "10.1.2.3",
          "100.64.0.1",
          "fd12::1",
          "169.254.169.254",
          "fd00:ec2::254",
          "fe80::1",
          "224.0.0.1",
          "0.0.0.0"
        })
    void refuses_everything_else(String address) {
      EgressDecision decision = strict.check("t1", ip(address), 80);
      assertThat(decision.allowed()).isFalse();
      assertThat(decision.reason()).contains(AddressClass.of(ip(address)).description());
    }

    @Test
    void judges_names_that_always_mean_this_machine_or_the_metadata_service() {
      assertThat(strict.checkHost("t1", "localhost", 80).reason())
          .isEqualTo("a loopback address (localhost)");
      assertThat(strict.checkHost("t1", "api.localhost.", 80).allowed()).isFalse();
      assertThat(strict.checkHost("t1", "METADATA.google.internal", 80).reason())
          .isEqualTo("a cloud instance metadata address (metadata.google.internal)");
      assertThat(strict.checkHost("t1", "0x7f.0.0.1", 80).allowed()).isFalse();
      assertThat(strict.checkHost("t1", "example.com", 80)).isNull();
    }
  }

  @Nested
  class Grants {
    final EgressPolicy policy =
        policy(
            Map.of(
                "ALLOW", "10.1.0.0/16:8080, [fd12::/64]:443",
                "TENANT_ALLOW",
                    "t-acme=10.2.0.0/24:443,10.3.0.5;t-other=192.168.0.0/16:8000-8999"));

    @Test
    void node_wide_grants_admit_their_ranges_and_ports_for_every_tenant() {
      assertThat(policy.check("anyone", ip("10.1.200.3"), 8080).allowed()).isTrue();
      assertThat(policy.check("anyone", ip("::ffff:10.1.200.3"), 8080).allowed()).isTrue();
      assertThat(policy.check("anyone", ip("10.1.200.3"), 8081).allowed()).isFalse();
      assertThat(policy.check("anyone", ip("10.4.0.1"), 8080).allowed()).isFalse();
      assertThat(policy.check("anyone", ip("fd12::9"), 443).allowed()).isTrue();
    }

    @Test
    void tenant_grants_admit_only_that_tenant() {
      assertThat(policy.check("t-acme", ip("10.2.0.7"), 443).allowed()).isTrue();
      assertThat(policy.check("t-acme", ip("10.3.0.5"), 22).allowed()).isTrue();
      assertThat(policy.check("t-other", ip("10.2.0.7"), 443).allowed()).isFalse();
      assertThat(policy.check("t-other", ip("192.168.4.4"), 8500).allowed()).isTrue();
      assertThat(policy.check("t-acme", ip("192.168.4.4"), 8500).allowed()).isFalse();
    }

    @Test
    void a_port_not_known_yet_matches_on_the_address() {
      assertThat(policy.check("anyone", ip("10.1.0.9"), AllowRule.ANY_PORT).allowed()).isTrue();
    }

    @Test
    void never_admit_unspecified_or_multicast_addresses() {
      EgressPolicy wide = policy(Map.of("ALLOW", "0.0.0.0/0,224.0.0.0/4"));
      assertThat(wide.check("t", ip("0.0.0.0"), 80).allowed()).isFalse();
      assertThat(wide.check("t", ip("224.0.0.1"), 80).allowed()).isFalse();
      assertThat(wide.check("t", ip("127.0.0.1"), 80).allowed()).isTrue();
    }
  }

  @Nested
  class Platform_listeners {
    final EgressPolicy trial =
        policy(
            Map.of(
                "MODE", "trial",
                "LISTENERS", "127.0.0.1:9090, *:8081, keycloak.test:8180, [::1]:5433"),
            List.of(new HostPort("0.0.0.0", 8080)));

    @Test
    void trial_allows_loopback_and_private_but_not_link_local_or_metadata() {
      assertThat(trial.check("t", ip("127.0.0.1"), 8084).allowed()).isTrue();
      assertThat(trial.check("t", ip("10.0.0.1"), 80).allowed()).isTrue();
      assertThat(trial.check("t", ip("169.254.169.254"), 80).allowed()).isFalse();
      assertThat(trial.check("t", ip("fe80::1"), 80).allowed()).isFalse();
      assertThat(trial.checkHost("t", "localhost", 8084).allowed()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
      "127.0.0.1, 9090",
      "127.0.0.2, 9090",
      "::1, 9090",
      "::ffff:127.0.0.1, 9090",
      "127.0.0.1, 8081",
      "192.168.1.10, 8081",
      "0.0.0.0, 8081",
      "10.9.9.9, 8180",
      "127.0.0.1, 5433",
      "192.168.1.10, 8080"
    })
    void are_refused_even_in_trial_mode(String address, int port) {
      EgressDecision decision = trial.check("t", ip(address), port);
      assertThat(decision.allowed()).isFalse();
      assertThat(decision.reason()).startsWith("a listener of the platform itself");
    }

    @Test
    void are_refused_by_name_and_whatever_grant_covers_them() {
      assertThat(trial.checkHost("t", "KEYCLOAK.test", 8180).allowed()).isFalse();
      assertThat(trial.checkHost("t", "localhost", 9090).allowed()).isFalse();
      EgressPolicy granted =
          policy(Map.of("ALLOW", "10.0.0.0/8", "LISTENERS", "10.9.9.9:8180"), List.of());
      assertThat(granted.check("t", ip("10.9.9.9"), 8180).allowed()).isFalse();
      assertThat(granted.check("t", ip("10.9.9.9"), 8181).allowed()).isTrue();
      // Nor a tenant's range that happens to cover one (see Exact_listener_grants).
      EgressPolicy tenantRange =
          policy(
              Map.of("TENANT_ALLOW", "t=10.0.0.0/8:8180;u=10.9.9.9", "LISTENERS", "10.9.9.9:8180"),
              List.of());
      assertThat(tenantRange.check("t", ip("10.9.9.9"), 8180).allowed()).isFalse();
      assertThat(tenantRange.check("u", ip("10.9.9.9"), 8180).allowed()).isFalse();
    }

    @Test
    void other_machines_on_the_same_port_are_not_listeners() {
      assertThat(trial.check("t", ip("10.0.0.7"), 8081).allowed()).isTrue();
      assertThat(trial.check("t", ip("93.184.216.34"), 9090).allowed()).isTrue();
    }
  }

  /**
   * An operator opens one platform listener to one tenant (the platform's Keycloak as the issuer of
   * that tenant's JWT authorizer) by granting the tenant its exact address and port; nothing wider
   * opens it, and no other tenant gets through.
   */
  @Nested
  class Exact_listener_grants {
    static final String ACME = "6f1c2a52-0d7e-4f43-9c55-0b8f7c3f1a10";
    static final String GLOBEX = "2b0e8f8e-5a8c-4c1e-a6b1-3d7f1e9c4b21";

    final EgressPolicy trial =
        policy(
            Map.of(
                "MODE", "trial",
                "TENANT_ALLOW", ACME + "=127.0.0.1:8180",
                "LISTENERS", "127.0.0.1:8180,127.0.0.1:9090,*:8081"));

    final EgressPolicy strict =
        policy(
            Map.of(
                "TENANT_ALLOW",
                ACME + "=127.0.0.1:8180",
                "LISTENERS",
                "127.0.0.1:8180,127.0.0.1:9090"));

    @Test
    void open_the_listener_to_the_tenant_granted_it() {
      for (EgressPolicy policy : List.of(trial, strict)) {
        assertThat(policy.check(ACME, ip("127.0.0.1"), 8180).allowed()).isTrue();
        assertThat(policy.check(ACME, ip("::ffff:127.0.0.1"), 8180).allowed()).isTrue();
        assertThat(policy.checkHost(ACME, "localhost", 8180).allowed()).isTrue();
        assertThat(UriTarget.of("http://localhost:8180/realms/turnpike").check(policy, ACME))
            .isEqualTo(EgressDecision.ALLOWED);
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {GLOBEX, "t-other", "", "6F1C2A52-0D7E-4F43-9C55-0B8F7C3F1A10"})
    void leave_it_closed_to_every_other_tenant(String other) {
      for (EgressPolicy policy : List.of(trial, strict)) {
        EgressDecision decision = policy.check(other, ip("127.0.0.1"), 8180);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason())
            .isEqualTo("a listener of the platform itself (127.0.0.1:8180)");
        assertThat(policy.checkHost(other, "localhost", 8180).allowed()).isFalse();
        assertThat(policy.checkHost(other, "2130706433", 8180).allowed()).isFalse();
      }
    }

    @Test
    void open_no_other_port_of_that_address() {
      // The other listeners stay closed to the granted tenant, in either mode.
      for (EgressPolicy policy : List.of(trial, strict)) {
        assertThat(policy.check(ACME, ip("127.0.0.1"), 9090).allowed()).isFalse();
        assertThat(policy.check(ACME, ip("127.0.0.1"), 8081).allowed()).isFalse();
        assertThat(policy.checkHost(ACME, "localhost", 9090).allowed()).isFalse();
      }
      // Under strict, no port at all that is not the granted one.
      assertThat(strict.check(ACME, ip("127.0.0.1"), 8181).allowed()).isFalse();
      assertThat(strict.check(ACME, ip("127.0.0.1"), 80).allowed()).isFalse();
    }

    @Test
    void open_no_other_address_reaching_the_same_listener() {
      // 127.0.0.2 and ::1 reach a loopback listener too, but they are not what was granted.
      for (EgressPolicy policy : List.of(trial, strict)) {
        assertThat(policy.check(ACME, ip("127.0.0.2"), 8180).allowed()).isFalse();
        assertThat(policy.check(ACME, ip("::1"), 8180).allowed()).isFalse();
      }
    }

    @Test
    void take_one_address_and_one_port_never_a_range() {
      EgressPolicy ranges =
          policy(
              Map.of(
                  "MODE", "trial",
                  "ALLOW", "127.0.0.1:8180",
                  "TENANT_ALLOW",
                      ACME + "=127.0.0.0/8:8180,127.0.0.1:8100-8200,127.0.0.1;" + GLOBEX + "=",
                  "LISTENERS", "127.0.0.1:8180"));
      assertThat(ranges.check(ACME, ip("127.0.0.1"), 8180).allowed()).isFalse();
      assertThat(ranges.check(GLOBEX, ip("127.0.0.1"), 8180).allowed()).isFalse();
      // A /32 written out is one address all the same.
      EgressPolicy slash32 =
          policy(
              Map.of("TENANT_ALLOW", ACME + "=127.0.0.1/32:8180", "LISTENERS", "127.0.0.1:8180"));
      assertThat(slash32.check(ACME, ip("127.0.0.1"), 8180).allowed()).isTrue();
    }

    @Test
    void never_open_an_unspecified_address() {
      EgressPolicy wildcard =
          policy(Map.of("TENANT_ALLOW", ACME + "=0.0.0.0:8081", "LISTENERS", "*:8081"));
      assertThat(wildcard.check(ACME, ip("0.0.0.0"), 8081).allowed()).isFalse();
    }

    @Test
    void several_tenants_each_get_their_own() {
      EgressPolicy two =
          policy(
              Map.of(
                  "TENANT_ALLOW",
                  ACME + "=127.0.0.1:8180, 10.0.0.5:8443;" + GLOBEX + "=10.0.0.5:8443",
                  "LISTENERS",
                  "127.0.0.1:8180,10.0.0.5:8443"));
      assertThat(two.check(ACME, ip("127.0.0.1"), 8180).allowed()).isTrue();
      assertThat(two.check(ACME, ip("10.0.0.5"), 8443).allowed()).isTrue();
      assertThat(two.check(GLOBEX, ip("10.0.0.5"), 8443).allowed()).isTrue();
      assertThat(two.check(GLOBEX, ip("127.0.0.1"), 8180).allowed()).isFalse();
    }

    @Test
    void leave_a_listener_named_by_host_name_closed() {
      // The name is judged before any lookup; only the address the grant names is opened.
      EgressPolicy named =
          policy(
              Map.of("TENANT_ALLOW", ACME + "=10.9.9.9:8180", "LISTENERS", "keycloak.test:8180"));
      assertThat(named.checkHost(ACME, "keycloak.test", 8180).allowed()).isFalse();
      assertThat(named.isListenerName("keycloak.test", 8180)).isTrue();
      assertThat(named.check(ACME, ip("10.9.9.9"), 8180).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"keycloak:8180", "localhost:8180", "id.example.com:443", "localhost"})
    void refuse_a_host_name_when_read(String grant) {
      SettingsReader read = new SettingsReader(Map.of("TENANT_ALLOW", ACME + "=" + grant));
      EgressSettings.read(read, KEYS);
      String host = grant.contains(":") ? grant.substring(0, grant.indexOf(':')) : grant;
      assertThatThrownBy(() -> read.failOnProblems("gateway"))
          .hasMessageContaining(
              "TENANT_ALLOW: '"
                  + grant
                  + "' names the host '"
                  + host
                  + "': grants take IP addresses only");
    }

    @Test
    void say_how_to_write_grants_of_several_tenants() {
      SettingsReader read =
          new SettingsReader(
              Map.of("TENANT_ALLOW", ACME + "=127.0.0.1:8180," + GLOBEX + "=127.0.0.1:8181"));
      EgressSettings.read(read, KEYS);
      assertThatThrownBy(() -> read.failOnProblems("gateway"))
          .hasMessageContaining(
              "TENANT_ALLOW: '"
                  + GLOBEX
                  + "=127.0.0.1:8181' is not a rule: another tenant's grants follow a ';'");
    }
  }

  @Nested
  class Settings {
    @Test
    void default_to_strict_with_nothing_granted() {
      EgressPolicy policy = policy(Map.of());
      assertThat(policy.mode()).isEqualTo(EgressPolicy.Mode.STRICT);
      assertThat(policy.check("t", ip("10.0.0.1"), 80).allowed()).isFalse();
    }

    @Test
    void name_the_variable_of_each_bad_value() {
      SettingsReader read =
          new SettingsReader(
              Map.of(
                  "MODE", "lenient",
                  "ALLOW", "10.1.2.3/16:8080,10.0.0.0/8:99999,not-a-cidr,1.2.3.4.5",
                  "TENANT_ALLOW", "10.0.0.0/8;t1=fd12::/200",
                  "LISTENERS", "localhost,127.0.0.1:http"));
      EgressSettings.read(read, KEYS);
      assertThatThrownBy(() -> read.failOnProblems("test"))
          .hasMessageContaining("MODE must be one of [strict, trial], was 'lenient'")
          .hasMessageContaining("ALLOW: '10.1.2.3/16' has address bits set beyond its prefix")
          .hasMessageContaining("did you mean 10.1.0.0/16?")
          .hasMessageContaining("ALLOW: '10.0.0.0/8:99999': '99999' is not a port")
          .hasMessageContaining("ALLOW: 'not-a-cidr' names the host 'not-a-cidr'")
          .hasMessageContaining("ALLOW: '1.2.3.4.5' is not an IPv4 (a.b.c.d) or IPv6 address")
          .hasMessageContaining("TENANT_ALLOW: '10.0.0.0/8' is not tenant-id=rule,rule")
          .hasMessageContaining("TENANT_ALLOW: 'fd12::/200': the prefix length must be at most 128")
          .hasMessageContaining("LISTENERS: 'localhost' is not host:port")
          .hasMessageContaining("LISTENERS: '127.0.0.1:http': 'http' is not a port");
    }

    @Test
    void print_rules_as_they_are_written() {
      assertThat(AllowRule.parse("10.1.0.0/16:8080")).hasToString("10.1.0.0/16:8080");
      assertThat(AllowRule.parse("[fd12::/64]:443-444"))
          .hasToString("[fd12:0:0:0:0:0:0:0/64]:443-444");
      assertThat(AllowRule.parse("10.3.0.5")).hasToString("10.3.0.5/32");
    }
  }

  @Nested
  class Uri_targets {
    final EgressPolicy strict = EgressPolicy.strict();

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://127.0.0.1:9090/{proxy}",
          "http://2130706433:9090/metrics",
          "http://0177.0.0.1/",
          "http://0x7f.0.0.1/",
          "http://127.1/",
          "http://[::1]:8080/",
          "http://[::ffff:127.0.0.1]/",
          "https://user:pw@localhost/",
          "http://api.localhost/",
          "http://metadata.google.internal/computeMetadata/v1/",
          "http://169.254.169.254/latest/meta-data/",
          "http://10.0.0.1:${stageVariables.port}/x"
        })
    void refuse_literal_hosts_the_policy_forbids(String uri) {
      UriTarget target = UriTarget.of(uri);
      assertThat(target).as(uri).isNotNull();
      assertThat(target.check(strict, "t").allowed()).as(uri).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "https://backend.example.com/{proxy}",
          "http://${stageVariables.host}/pets",
          "http://{host}.example.com/",
          "${stageVariables.url}"
        })
    void leave_names_and_placeholders_to_the_gateway(String uri) {
      UriTarget target = UriTarget.of(uri);
      assertThat(target == null || target.check(strict, "t") == null).as(uri).isTrue();
    }

    @Test
    void read_the_default_port_of_the_scheme() {
      assertThat(UriTarget.of("https://8.8.8.8/x")).isEqualTo(new UriTarget("8.8.8.8", 443));
      assertThat(UriTarget.of("http://8.8.8.8?x")).isEqualTo(new UriTarget("8.8.8.8", 80));
    }
  }
}
