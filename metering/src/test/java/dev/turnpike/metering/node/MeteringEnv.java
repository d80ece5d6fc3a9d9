package dev.turnpike.metering.node;

import dev.turnpike.testkit.postgres.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/** The environment a metering process gets in tests: the test database and broker. */
final class MeteringEnv {
  private MeteringEnv() {}

  static Map<String, String> of(TestDatabase database, String bootstrapServers) {
    PGSimpleDataSource metering = (PGSimpleDataSource) database.meteringDataSource();
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_DB_URL", database.jdbcUrl());
    env.put("TURNPIKE_DB_METERING_USER", metering.getUser());
    env.put("TURNPIKE_DB_METERING_PASSWORD", metering.getPassword());
    env.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    env.put("TURNPIKE_METERING_ADMIN_PORT", "0");
    env.put("TURNPIKE_METERING_ADMIN_HOST", "127.0.0.1");
    env.put("TURNPIKE_METERING_POLL_MS", "50");
    env.put("TURNPIKE_METERING_SESSION_TIMEOUT_MS", "6000");
    env.put("TURNPIKE_METERING_TOPIC_PARTITIONS", "3");
    return env;
  }
}
