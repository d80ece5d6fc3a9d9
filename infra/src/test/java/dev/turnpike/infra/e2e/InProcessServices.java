package dev.turnpike.infra.e2e;

import dev.turnpike.gateway.node.GatewayNode;
import dev.turnpike.gateway.node.NodeSettings;
import dev.turnpike.metering.node.MeteringService;
import dev.turnpike.metering.node.MeteringSettings;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The services the end-to-end tests run in the test's JVM, on free ports, wired to the test's Kafka
 * broker and database as their own main classes would wire them in production.
 */
public final class InProcessServices {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private InProcessServices() {}

  /** A gateway node on one event loop, without an access log, its snapshot in {@code dataDir}. */
  public static GatewayNode gateway(KafkaBroker kafka, Path dataDir) {
    NodeSettings settings =
        NodeSettings.fromEnvironment(
            Map.of(
                "TURNPIKE_GATEWAY_HOST", "127.0.0.1",
                "TURNPIKE_GATEWAY_PORT", "0",
                "TURNPIKE_GATEWAY_ADMIN_PORT", "0",
                "TURNPIKE_GATEWAY_EVENT_LOOPS", "1",
                "TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "TURNPIKE_GATEWAY_DATA_DIR", dataDir.toString(),
                "TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none"));
    return GatewayNode.start(settings).toCompletionStage().toCompletableFuture().join();
  }

  /** Metering polling every 20 ms, in a consumer group of the test's own. */
  public static MeteringService metering(TestDatabase db, KafkaBroker kafka, String group) {
    PGSimpleDataSource metering = (PGSimpleDataSource) db.meteringDataSource();
    return MeteringService.start(
        MeteringSettings.fromEnvironment(
            Map.of(
                "TURNPIKE_DB_URL", db.jdbcUrl(),
                "TURNPIKE_DB_METERING_USER", metering.getUser(),
                "TURNPIKE_DB_METERING_PASSWORD", metering.getPassword(),
                "TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "TURNPIKE_METERING_GROUP", group + "-" + db.name(),
                "TURNPIKE_METERING_POLL_MS", "20",
                "TURNPIKE_METERING_ADMIN_PORT", "-1")),
        List.of(),
        Clock.systemUTC());
  }

  /** The status of a GET through the gateway with the key, or -1 when the call itself failed. */
  public static int status(GatewayNode gateway, String path, String key) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                  .header("x-api-key", key)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
