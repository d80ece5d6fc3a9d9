package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.http.SlowClients;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The control plane's listener (management API and console) cuts off clients that send their
 * headers too slowly and refuses connections over its cap, while others are served.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {
  static final Duration HEADER_READ = Duration.ofMillis(500);
  TestControlPlane cp;

  @BeforeAll
  void start(TestDatabase db) {
    cp =
        TestControlPlane.start(
            db,
            null,
            Map.of(
                "TURNPIKE_CP_HEADER_READ_TIMEOUT_MS",
                Long.toString(HEADER_READ.toMillis()),
                "TURNPIKE_CP_MAX_CONNECTIONS",
                "3"));
  }

  @AfterAll
  void stop() {
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void a_slowloris_client_is_cut_off_after_the_header_read_timeout_while_others_are_served() {
    SlowClients.assertCutOffWhileOthersAreServed(
        cp.controlPlane().port(), ApiRouter.OPENAPI_PATH, 200, HEADER_READ);
  }

  @Test
  void over_the_connection_cap_new_connections_are_closed_and_existing_ones_keep_working() {
    SlowClients.assertConnectionCap(cp.controlPlane().port(), 3, ApiRouter.OPENAPI_PATH, 200);
  }
}
