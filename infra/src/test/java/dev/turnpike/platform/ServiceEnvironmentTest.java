package dev.turnpike.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.controlplane.ControlPlaneSettings;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.gateway.node.NodeSettings;
import dev.turnpike.metering.node.MeteringSettings;
import dev.turnpike.portal.PortalSettings;
import dev.turnpike.settings.PublishedSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceEnvironmentTest {
  @TempDir Path root;
  PlatformSettings settings;

  @BeforeEach
  void settings() {
    settings = PlatformSettings.fromEnvironment(Map.of(), root);
  }

  @Test
  void services_get_the_embedded_database_kafka_and_keycloak() {
    Map<String, String> env = ServiceEnvironment.of(Map.of(), settings, "localhost:9092");
    assertThat(env)
        .containsEntry("TURNPIKE_DB_URL", "jdbc:postgresql://localhost:5433/turnpike")
        .containsEntry("TURNPIKE_DB_USER", "turnpike_app_login")
        .containsEntry("TURNPIKE_DB_SYSTEM_USER", "turnpike_system_login")
        .containsEntry("TURNPIKE_DB_METERING_USER", "turnpike_metering_login")
        .containsEntry("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")
        .containsEntry("TURNPIKE_CP_OIDC_ISSUER", "http://localhost:8180/realms/turnpike")
        .containsEntry("TURNPIKE_CP_OIDC_AUDIENCE", "turnpike-api")
        .containsEntry("TURNPIKE_CP_PORT", "8081")
        .containsEntry("TURNPIKE_GATEWAY_PORT", "8080")
        .containsEntry("TURNPIKE_CP_CONSOLE_GATEWAY_URL", "http://localhost:8080")
        .containsEntry("TURNPIKE_GATEWAY_ADMIN_PORT", "9090")
        .containsEntry("TURNPIKE_GATEWAY_DATA_DIR", root.resolve(".turnpike/gateway").toString())
        .containsEntry("TURNPIKE_METERING_ADMIN_PORT", "8091")
        .containsEntry("TURNPIKE_BILLING_PORT", "8083");
  }

  @Test
  void every_service_gets_one_secret_key_for_sealed_domain_keys_kept_across_restarts() {
    Map<String, String> env = ServiceEnvironment.of(Map.of(), settings, "localhost:9092");
    String key = env.get("TURNPIKE_SECRET_KEY");

    // The control plane seals with it (it reads it, failing fast on a malformed one); the gateway
    // gets the same environment, so what was sealed opens there.
    ControlPlaneSettings controlPlane = ControlPlaneSettings.fromEnvironment(env);
    String sealed = controlPlane.domains().secrets().seal("private key", "api.example.com");
    assertThat(SealedSecrets.fromBase64Key(key).open(sealed, "api.example.com"))
        .isEqualTo("private key");
    assertThat(ServiceEnvironment.of(Map.of(), settings, "localhost:9092"))
        .containsEntry("TURNPIKE_SECRET_KEY", key);
    String own = SealedSecrets.newBase64Key();
    assertThat(
            ServiceEnvironment.of(Map.of("TURNPIKE_SECRET_KEY", own), settings, "localhost:9092"))
        .containsEntry("TURNPIKE_SECRET_KEY", own);
  }

  @Test
  void metering_logs_in_as_its_own_role_not_as_the_control_planes_system_login() {
    Map<String, String> env = ServiceEnvironment.of(Map.of(), settings, "localhost:9092");

    MeteringSettings metering = MeteringSettings.fromEnvironment(env);
    ControlPlaneSettings controlPlane = ControlPlaneSettings.fromEnvironment(env);

    assertThat(metering.dbMeteringUser()).isEqualTo("turnpike_metering_login");
    assertThat(controlPlane.dbSystemUser()).isEqualTo("turnpike_system_login");
  }

  @Test
  void the_portal_accepts_its_wiring_and_signs_in_with_the_realms_portal_client() throws Exception {
    PortalSettings portal =
        PortalSettings.fromEnvironment(ServiceEnvironment.of(Map.of(), settings, "localhost:9092"));
    assertThat(portal.port()).isEqualTo(8082);
    assertThat(portal.host()).isEqualTo("127.0.0.1");
    assertThat(portal.publicUrl()).isEqualTo("http://localhost:8082");
    assertThat(portal.controlPlaneUrl()).isEqualTo("http://localhost:8081");
    assertThat(portal.gatewayUrl()).isEqualTo("http://localhost:8080");
    assertThat(portal.oidcIssuer()).isEqualTo("http://localhost:8180/realms/turnpike");
    // Its sessions in the embedded database, through the sessions-only login (V41).
    assertThat(portal.sessionDatabase().jdbcUrl()).isEqualTo(settings.database().jdbcUrl());
    assertThat(portal.sessionDatabase().user()).isEqualTo("turnpike_portal_sessions_login");
    // The trial realm is the other half of the local secret: they must agree or sign-in fails.
    JsonNode realm = new ObjectMapper().readTree(trialRealm().toFile());
    assertThat(realm.path("clients"))
        .filteredOn(client -> client.path("clientId").asText().equals(portal.clientId()))
        .singleElement()
        .satisfies(
            client -> assertThat(client.path("secret").asText()).isEqualTo(portal.clientSecret()));
  }

  @Test
  void the_console_gets_the_secret_made_for_this_machine_which_the_trial_realm_holds()
      throws Exception {
    String secret =
        ServiceEnvironment.of(Map.of(), settings, "k:9092")
            .get("TURNPIKE_CP_CONSOLE_CLIENT_SECRET");
    JsonNode realm = new ObjectMapper().readTree(trialRealm().toFile());

    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
    assertThat(PublishedSecrets.isPublished(secret)).isFalse();
    assertThat(realm.path("clients"))
        .filteredOn(client -> client.path("clientId").asText().equals("turnpike-console"))
        .singleElement()
        .satisfies(client -> assertThat(client.path("secret").asText()).isEqualTo(secret));
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve(".turnpike/trial-realm.json"))))
        .isEqualTo("rw-------");
  }

  @Test
  void the_demo_service_client_gets_a_secret_made_for_this_machine_which_the_summary_prints()
      throws Exception {
    JsonNode realm = new ObjectMapper().readTree(trialRealm().toFile());
    String secret = LocalSecrets.demoServiceClientSecret(root.resolve(".turnpike"));

    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
    assertThat(PublishedSecrets.isPublished(secret)).isFalse();
    assertThat(realm.path("clients"))
        .filteredOn(client -> client.path("clientId").asText().equals(LocalRealm.DEMO_SERVICE))
        .singleElement()
        .satisfies(
            client -> {
              assertThat(client.path("secret").asText()).isEqualTo(secret);
              assertThat(client.path("serviceAccountsEnabled").asBoolean()).isTrue();
            });
  }

  @Test
  void a_keycloak_set_up_by_an_earlier_version_with_other_secrets_is_named_not_used()
      throws Exception {
    Path imported = root.resolve(".turnpike/keycloak/data/import/turnpike-realm.json");
    Files.createDirectories(imported.getParent());
    Files.writeString(
        imported,
        "{\"realm\":\"turnpike\",\"clients\":[{\"clientId\":\"turnpike-console\","
            + "\"secret\":\"turnpike-console-local-secret\"}]}");

    assertThatThrownBy(this::trialRealm)
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("holds a realm made by an earlier Turnpike")
        .hasMessageContaining("Remove that folder");
  }

  /** The trial realm this checkout makes, with the secrets kept in the test's state folder. */
  private Path trialRealm() {
    Map<String, String> env = Map.of("TURNPIKE_PLATFORM_DIR", root.resolve(".turnpike").toString());
    PlatformSettings withRoot = PlatformSettings.fromEnvironment(env, checkoutRoot());
    return LocalRealm.write(withRoot, "turnpike");
  }

  @Test
  void the_internal_token_is_made_once_and_kept_private() throws Exception {
    String first =
        ServiceEnvironment.of(Map.of(), settings, "k:9092").get("TURNPIKE_INTERNAL_TOKEN");
    String second =
        ServiceEnvironment.of(Map.of(), settings, "k:9092").get("TURNPIKE_INTERNAL_TOKEN");
    assertThat(first).hasSizeGreaterThanOrEqualTo(16).isEqualTo(second);

    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve(".turnpike/internal-token"))))
        .isEqualTo("rw-------");
  }

  private static Path checkoutRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("infra/keycloak/turnpike-realm.json"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no infra/keycloak/turnpike-realm.json above the working folder");
  }

  @Test
  void with_a_stripe_key_the_control_plane_opens_checkouts_through_billing_with_the_token() {
    Map<String, String> env =
        ServiceEnvironment.of(Map.of("TURNPIKE_STRIPE_API_KEY", "sk_test_x"), settings, "k:9092");
    assertThat(env)
        .containsEntry("TURNPIKE_CP_BILLING_URL", "http://localhost:8083")
        .containsEntry("TURNPIKE_CP_BILLING_TOKEN", env.get("TURNPIKE_INTERNAL_TOKEN"));
  }

  @Test
  void ledger_only_leaves_paid_plan_checkout_switched_off() {
    assertThat(ServiceEnvironment.of(Map.of(), settings, "k:9092"))
        .doesNotContainKeys("TURNPIKE_CP_BILLING_URL", "TURNPIKE_CP_BILLING_TOKEN");
  }

  @Test
  void a_users_own_service_settings_pass_through_and_win_where_they_may() {
    Map<String, String> env =
        ServiceEnvironment.of(
            Map.of(
                "TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none",
                "TURNPIKE_CP_OIDC_ISSUER", "https://id.example.com/realms/x",
                "PATH", "/usr/bin"),
            settings,
            "localhost:9092");
    assertThat(env)
        .containsEntry("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none")
        .containsEntry("TURNPIKE_CP_OIDC_ISSUER", "https://id.example.com/realms/x")
        .containsEntry("PATH", "/usr/bin");
  }

  @Test
  void the_services_run_the_trial_egress_policy_refusing_every_port_the_platform_starts() {
    Map<String, String> env = ServiceEnvironment.of(Map.of(), settings, "localhost:9092");
    assertThat(env).containsEntry("TURNPIKE_EGRESS_POLICY", "trial");
    assertThat(env.get("TURNPIKE_EGRESS_PLATFORM_LISTENERS").split(","))
        .contains(
            "127.0.0.1:8080", // gateway traffic
            "127.0.0.1:9090", // gateway admin
            "127.0.0.1:8443", // gateway custom domains
            "127.0.0.1:8081", // control plane
            "127.0.0.1:8082", // portal
            "127.0.0.1:8091", // metering admin
            "127.0.0.1:8083", // billing
            "127.0.0.1:8180", // Keycloak
            "127.0.0.1:9092", // Kafka
            "127.0.0.1:9093", // Kafka's controller
            "127.0.0.1:5433") // PostgreSQL
        .doesNotContain("127.0.0.1:8084"); // the demo backend is the tenants' to reach

    EgressPolicy gateway =
        NodeSettings.fromEnvironment(env).egress().policy(MachineNetwork.SYSTEM, List.of());
    EgressPolicy controlPlane =
        ControlPlaneSettings.fromEnvironment(env).egress().policy(MachineNetwork.SYSTEM, List.of());
    for (EgressPolicy policy : List.of(gateway, controlPlane)) {
      assertThat(policy.mode()).isEqualTo(EgressPolicy.Mode.TRIAL);
      assertThat(policy.checkHost("t", "localhost", 8084).allowed()).isTrue();
      assertThat(policy.checkHost("t", "localhost", 9090).allowed()).isFalse();
      assertThat(policy.checkHost("t", "[::1]", 8180).allowed()).isFalse();
      assertThat(policy.checkHost("t", "169.254.169.254", 80).allowed()).isFalse();
    }
    assertThat(Platform.egressNote(env))
        .contains("the trial egress policy")
        .contains("11 listeners");
  }

  @Test
  void on_every_address_the_platform_listens_on_and_at_external_parts_too() {
    PlatformSettings shared =
        PlatformSettings.fromEnvironment(
            Map.of(
                "TURNPIKE_PLATFORM_HOST", "0.0.0.0",
                "TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "kafka-a.internal:9092,kafka-b.internal:9094",
                "TURNPIKE_KEYCLOAK_URL", "https://id.example.com"),
            root);
    Map<String, String> env =
        ServiceEnvironment.of(
            Map.of("TURNPIKE_EGRESS_PLATFORM_LISTENERS", "10.0.0.9:6379"), shared, "k:9092");
    assertThat(env.get("TURNPIKE_EGRESS_PLATFORM_LISTENERS").split(","))
        .contains(
            "10.0.0.9:6379",
            "0.0.0.0:9090",
            "127.0.0.1:9090",
            "kafka-a.internal:9092",
            "kafka-b.internal:9094",
            "id.example.com:443");
  }

  @Test
  void the_demo_tenant_alone_is_granted_the_embedded_keycloaks_listener() {
    String demo = "6f1c2a52-0d7e-4f43-9c55-0b8f7c3f1a10";
    Map<String, String> env =
        ServiceEnvironment.withListenerGrant(
            ServiceEnvironment.of(
                Map.of("TURNPIKE_EGRESS_TENANT_ALLOW", "t-own=10.1.0.0/16"), settings, "k:9092"),
            demo,
            Platform.keycloakListener(settings));
    assertThat(env)
        .containsEntry(
            "TURNPIKE_EGRESS_TENANT_ALLOW", "t-own=10.1.0.0/16;" + demo + "=127.0.0.1:8180");

    EgressPolicy gateway =
        NodeSettings.fromEnvironment(env).egress().policy(MachineNetwork.SYSTEM, List.of());
    EgressPolicy controlPlane =
        ControlPlaneSettings.fromEnvironment(env).egress().policy(MachineNetwork.SYSTEM, List.of());
    for (EgressPolicy policy : List.of(gateway, controlPlane)) {
      // The realm's issuer, http://localhost:8180/realms/turnpike, for the demo tenant only.
      assertThat(policy.checkHost(demo, "localhost", 8180).allowed()).isTrue();
      assertThat(policy.checkHost("t-own", "localhost", 8180).allowed()).isFalse();
      assertThat(policy.checkHost("t-other", "localhost", 8180).allowed()).isFalse();
      // The grant opens that one listener: the platform's other ports stay closed to the demo.
      assertThat(policy.checkHost(demo, "localhost", 9090).allowed()).isFalse();
      assertThat(policy.checkHost(demo, "localhost", 5433).allowed()).isFalse();
    }
  }

  @Test
  void a_users_egress_policy_wins() {
    Map<String, String> env =
        ServiceEnvironment.of(Map.of("TURNPIKE_EGRESS_POLICY", "strict"), settings, "k:9092");
    assertThat(env).containsEntry("TURNPIKE_EGRESS_POLICY", "strict");
    assertThat(Platform.egressNote(env)).contains("the strict egress policy");
  }
}
