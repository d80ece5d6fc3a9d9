package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two control planes on one database behind a round-robin balancer: a browser's requests alternate
 * between them, and its console session (signed in through the real Keycloak, then a form whose
 * CSRF token one instance issued posted to the other) holds on both, outlives the instance that
 * began it, and ends when it expires.
 */
@Tag("keycloak")
@ExtendWith({EmbeddedPostgresExtension.class, KeycloakExtension.class})
class ConsoleInstancesTest {
  private final TestDatabase db;
  private final KeycloakServer keycloak;
  private TestControlPlane a;
  private TestControlPlane b;

  ConsoleInstancesTest(TestDatabase db, KeycloakServer keycloak) {
    this.db = db;
    this.keycloak = keycloak;
  }

  @BeforeEach
  void start() {
    a = ConsoleEnvironment.start(db, keycloak, null);
    b = ConsoleEnvironment.start(db, keycloak, null);
  }

  @AfterEach
  void stop() {
    for (TestControlPlane cp : new TestControlPlane[] {a, b}) {
      if (cp != null) {
        cp.close();
      }
    }
  }

  @Test
  void a_session_begun_on_one_instance_is_served_by_the_other_and_outlives_a_restart() {
    ConsoleClient onA = new ConsoleClient(ConsoleEnvironment.base(a));
    ConsoleClient onB = onA.at(ConsoleEnvironment.base(b));
    assertThat(onA.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD).body())
        .contains("Create your organization");

    List<ConsoleClient> roundRobin = List.of(onB, onA, onB, onA);
    for (int i = 0; i < roundRobin.size(); i++) {
      HttpResponse<String> page = roundRobin.get(i).get("/console/organizations/new");
      assertThat(page.statusCode()).as("request %d", i).isEqualTo(200);
    }
    // The CSRF token is the session's: issued in a page of A, accepted in a form posted to B.
    String csrf = onA.csrf();
    HttpResponse<String> created =
        onB.postRaw(
            "/console/organizations",
            Map.of("name", "Round Robin", "slug", "round-robin", "_csrf", csrf));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
    String tenantPath = location(created);
    assertThat(onA.page(tenantPath).body()).contains("Round Robin");

    a.close();
    a = ConsoleEnvironment.start(db, keycloak, null);
    ConsoleClient onNewA = onA.at(ConsoleEnvironment.base(a));

    HttpResponse<String> afterRestart = onNewA.get(tenantPath);
    assertThat(afterRestart.statusCode()).isEqualTo(200);
    assertThat(afterRestart.body()).contains("Round Robin");
    assertThat(onB.get(tenantPath).statusCode()).isEqualTo(200);
  }

  @Test
  void an_expired_session_is_gone_on_every_instance() {
    ConsoleClient onA = new ConsoleClient(ConsoleEnvironment.base(a));
    ConsoleClient onB = onA.at(ConsoleEnvironment.base(b));
    onA.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);
    assertThat(onB.get("/console/organizations/new").statusCode()).isEqualTo(200);
    String id = onA.sessionCookie().getValue();

    // Its idle time runs out (the idle timeout is a minute at least; the row ages instead).
    db.ownerDsl()
        .execute(
            "update web_sessions set expires_at = now() - interval '1 second'"
                + " where site = ? and id = ?",
            Console.COOKIE,
            id);

    for (ConsoleClient instance : List.of(onB, onA)) {
      HttpResponse<String> page = instance.get("/console/organizations/new");
      assertThat(page.statusCode()).isEqualTo(303);
      assertThat(location(page)).startsWith("/console/login");
    }
    assertThat(onA.sessionCookie().getValue()).isNotEqualTo(id);
  }
}
