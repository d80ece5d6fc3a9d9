package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.dns.StandInDns;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * A control plane with the console on a real Keycloak and PostgreSQL, and the demo owner signed in
 * with an organization (Acme) made through the console: what every {@link ConsoleFeatureTest} works
 * on. Starting it takes most of a test class's time, so {@link ConsoleWorldExtension} starts one
 * per test JVM; the classes share the organization as the nested classes of one test class did.
 */
final class ConsoleWorld implements AutoCloseable {
  final TestDatabase db;
  final KeycloakServer keycloak;
  final TestControlPlane cp;
  final ConsoleClient owner;
  final String tenantId;
  final String tenantPath;

  /** The resolver domain ownership is checked against, and the key private keys are sealed with. */
  final StandInDns dns;

  final String secretKey;

  private ConsoleWorld(
      TestDatabase db,
      KeycloakServer keycloak,
      TestControlPlane cp,
      ConsoleClient owner,
      String tenantPath,
      StandInDns dns,
      String secretKey) {
    this.db = db;
    this.dns = dns;
    this.secretKey = secretKey;
    this.keycloak = keycloak;
    this.cp = cp;
    this.owner = owner;
    this.tenantPath = tenantPath;
    this.tenantId = tenantPath.split("/")[3];
  }

  static ConsoleWorld start(TestDatabase db, KeycloakServer keycloak) {
    StandInDns dns = StandInDns.start();
    String secretKey = SealedSecrets.newBase64Key();
    TestControlPlane cp =
        ConsoleEnvironment.start(
            db,
            keycloak,
            null,
            Map.of(
                "TURNPIKE_SECRET_KEY", secretKey, "TURNPIKE_CP_DOMAIN_DNS_SERVERS", dns.address()));
    try {
      ConsoleClient owner = new ConsoleClient(ConsoleEnvironment.base(cp));
      HttpResponse<String> landed = owner.signIn(DEMO_OWNER, DEMO_OWNER_PASSWORD);
      assertThat(landed.statusCode()).isEqualTo(200);
      assertThat(landed.body()).contains("Create your organization");

      HttpResponse<String> created =
          owner.post("/console/organizations", Map.of("name", "Acme", "slug", "acme-console"));
      assertThat(created.statusCode()).isEqualTo(303);
      String tenantPath = location(created);
      assertThat(tenantPath).matches("/console/t/[0-9a-f-]{36}/");
      return new ConsoleWorld(db, keycloak, cp, owner, tenantPath, dns, secretKey);
    } catch (RuntimeException | AssertionError e) {
      cp.close();
      dns.close();
      throw e;
    }
  }

  @Override
  public void close() {
    cp.close();
    dns.close();
  }
}
