package dev.turnpike.metering.node;

import dev.turnpike.metering.billing.BillingSettings;
import dev.turnpike.testkit.http.SlowClients;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Metering's two listeners, the admin port and billing's API, cut off clients that send their
 * headers too slowly and refuse connections over their caps, while others are served.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {
  static final Duration HEADER_READ = Duration.ofMillis(500);
  MeteringService service;
  BillingComponent billing;

  @BeforeAll
  void start(TestDatabase database, KafkaBroker kafka) {
    Map<String, String> env = MeteringEnv.of(database, kafka.bootstrapServers());
    env.put("TURNPIKE_METERING_GROUP", "metering-" + database.name());
    env.put(
        "TURNPIKE_METERING_ADMIN_HEADER_READ_TIMEOUT_MS", Long.toString(HEADER_READ.toMillis()));
    env.put("TURNPIKE_METERING_ADMIN_MAX_CONNECTIONS", "2");
    billing =
        new BillingComponent(
            BillingSettings.fromEnvironment(
                Map.of(
                    "TURNPIKE_BILLING_HOST", "127.0.0.1",
                    "TURNPIKE_BILLING_PORT", "0",
                    "TURNPIKE_BILLING_HEADER_READ_TIMEOUT_MS",
                        Long.toString(HEADER_READ.toMillis()),
                    "TURNPIKE_BILLING_MAX_CONNECTIONS", "3")));
    service =
        MeteringService.start(
            MeteringSettings.fromEnvironment(env), List.of(billing), Clock.systemUTC());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Nested
  class AdminPort {
    @Test
    void a_slowloris_client_is_cut_off_after_the_header_read_timeout_while_others_are_served() {
      SlowClients.assertCutOffWhileOthersAreServed(
          service.adminPort(), "/health", 200, HEADER_READ);
    }

    @Test
    void over_the_connection_cap_new_connections_are_closed_and_existing_ones_keep_working() {
      SlowClients.assertConnectionCap(service.adminPort(), 2, "/health", 200);
    }
  }

  @Nested
  class BillingApi {
    @Test
    void a_slowloris_client_is_cut_off_after_the_header_read_timeout_while_others_are_served() {
      SlowClients.assertCutOffWhileOthersAreServed(billing.port(), "/health", 200, HEADER_READ);
    }

    @Test
    void over_the_connection_cap_new_connections_are_closed_and_existing_ones_keep_working() {
      SlowClients.assertConnectionCap(billing.port(), 3, "/health", 200);
    }
  }
}
