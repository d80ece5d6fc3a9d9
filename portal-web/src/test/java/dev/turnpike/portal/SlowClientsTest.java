package dev.turnpike.portal;

import dev.turnpike.portal.testing.StandInIssuer;
import dev.turnpike.testkit.http.SlowClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The portal's listener cuts off clients that send their headers too slowly and refuses connections
 * over its cap, while others are served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {
  static final Duration HEADER_READ = Duration.ofMillis(500);
  StandInIssuer issuer;
  Portal portal;

  @BeforeAll
  void start() {
    issuer = StandInIssuer.start();
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_PORTAL_HOST", "127.0.0.1");
    env.put("TURNPIKE_PORTAL_PORT", "0");
    env.put("TURNPIKE_PORTAL_OIDC_ISSUER", issuer.issuer());
    env.put("TURNPIKE_PORTAL_CLIENT_SECRET", "not-used-here");
    env.put("TURNPIKE_PORTAL_HEADER_READ_TIMEOUT_MS", Long.toString(HEADER_READ.toMillis()));
    env.put("TURNPIKE_PORTAL_MAX_CONNECTIONS", "3");
    portal = Portal.start(PortalSettings.fromEnvironment(env));
  }

  @AfterAll
  void stop() {
    if (portal != null) {
      portal.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  @Test
  void a_slowloris_client_is_cut_off_after_the_header_read_timeout_while_others_are_served() {
    SlowClients.assertCutOffWhileOthersAreServed(portal.port(), "/health", 200, HEADER_READ);
  }

  @Test
  void over_the_connection_cap_new_connections_are_closed_and_existing_ones_keep_working() {
    SlowClients.assertConnectionCap(portal.port(), 3, "/health", 200);
  }
}
