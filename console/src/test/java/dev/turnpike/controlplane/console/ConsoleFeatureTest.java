package dev.turnpike.controlplane.console;

import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.CLI_CLIENT;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_EMAIL;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_PASSWORD;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The owner console over real HTTP against a real Keycloak (the realm of {@code infra/keycloak})
 * and a real PostgreSQL: every session here was made by the real OIDC flow, through Keycloak's
 * login form and the console's callback. One test class per feature, all on one {@link
 * ConsoleWorld} (started once per test JVM) and its organization.
 */
@Tag("keycloak")
@ExtendWith(ConsoleWorldExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsoleFeatureTest {
  TestDatabase db;
  KeycloakServer keycloak;
  TestControlPlane cp;
  ConsoleClient owner;
  String tenantId;
  String tenantPath;
  String apiToken;
  Fixture fixture;
  ConsoleWorld world;

  @BeforeAll
  void join(ConsoleWorld world) {
    this.world = world;
    db = world.db;
    keycloak = world.keycloak;
    cp = world.cp;
    owner = world.owner;
    tenantId = world.tenantId;
    tenantPath = world.tenantPath;
    // A token per class: Keycloak's access tokens live five minutes, less than all classes take.
    apiToken = keycloak.passwordGrant(CLI_CLIENT, DEMO_OWNER, DEMO_OWNER_PASSWORD);
    fixture = new Fixture(api(), apiToken);
  }

  ApiClient api() {
    return cp.client();
  }

  String v1(String path) {
    return "/v1/tenants/" + tenantId + path;
  }

  /** The newest outbox payload for {@code topic} and {@code key} of the organization. */
  byte[] lastOutbox(String topic, String key) {
    return db.ownerDsl()
        .select(OUTBOX.PAYLOAD)
        .from(OUTBOX)
        .where(OUTBOX.TENANT_ID.eq(UUID.fromString(tenantId)))
        .and(OUTBOX.TOPIC.eq(topic))
        .and(OUTBOX.MESSAGE_KEY.eq(key))
        .orderBy(OUTBOX.ID.desc())
        .limit(1)
        .fetchOptional(OUTBOX.PAYLOAD)
        .orElseThrow(() -> new AssertionError("no outbox row for " + topic + " " + key));
  }

  /**
   * A user Turnpike knows (as after a first sign-in, their email verified by the identity provider)
   * that no Keycloak login belongs to.
   */
  String insertUser(String email, String displayName) {
    try (Connection c = db.systemDataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO users (id, keycloak_subject, email, display_name, email_verified)"
                    + " VALUES (?::uuid, ?, ?, ?, true)")) {
      s.setString(1, UUID.randomUUID().toString());
      s.setString(2, "test-" + UUID.randomUUID());
      s.setString(3, email);
      s.setString(4, displayName);
      s.executeUpdate();
      return email;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The organization's member with this email as the management API lists them, or null. */
  JsonObject member(String email) {
    return api().get(apiToken, v1("/members")).items().stream()
        .map(JsonObject.class::cast)
        .filter(m -> email.equalsIgnoreCase(m.getString("email")))
        .findFirst()
        .orElse(null);
  }

  /**
   * Runs {@code test} with demo-developer signed in to the console as a viewer of the organization
   * (added by the owner through the members page), and takes the membership away afterwards, so the
   * other tests see demo-developer as someone without an organization.
   */
  void withViewer(java.util.function.BiConsumer<ConsoleClient, String> test) {
    ConsoleClient viewer = new ConsoleClient(owner.base);
    viewer.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);
    HttpResponse<String> added =
        owner.post(tenantPath + "members", Map.of("email", DEMO_DEVELOPER_EMAIL, "role", "viewer"));
    assertThat(added.statusCode()).as("adding the viewer").isEqualTo(303);
    String viewerId = member(DEMO_DEVELOPER_EMAIL).getString("userId");
    try {
      test.accept(viewer, viewerId);
    } finally {
      assertThat(api().delete(apiToken, v1("/members/" + viewerId)).status()).isEqualTo(204);
    }
  }

  static String sessionCookieHeader(HttpResponse<?> response) {
    return ConsoleClient.setCookies(response).stream()
        .filter(c -> c.startsWith(Console.COOKIE + "="))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no session cookie set"));
  }
}
