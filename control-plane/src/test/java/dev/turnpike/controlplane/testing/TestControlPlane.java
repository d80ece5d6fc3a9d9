package dev.turnpike.controlplane.testing;

import dev.turnpike.controlplane.ControlPlane;
import dev.turnpike.controlplane.ControlPlaneSettings;
import dev.turnpike.controlplane.ServerFeature;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real control plane for a test class: its own migrated database, a test identity provider for
 * tokens, real HTTP on a free port. The outbox relay runs only when a Kafka bootstrap is given.
 */
public final class TestControlPlane implements AutoCloseable {
  private final TestIdentityProvider identity;
  private final ControlPlane controlPlane;
  private final ApiClient client;

  private TestControlPlane(TestIdentityProvider identity, ControlPlane controlPlane) {
    this.identity = identity;
    this.controlPlane = controlPlane;
    this.client = new ApiClient(controlPlane.port());
  }

  public static TestControlPlane start(TestDatabase db) {
    return start(db, null, Map.of());
  }

  public static TestControlPlane start(
      TestDatabase db, String kafkaBootstrap, Map<String, String> overrides) {
    return start(db, kafkaBootstrap, overrides, env -> List.of());
  }

  /**
   * A control plane with features mounted (the owner console), each made from the test's whole
   * environment.
   */
  public static TestControlPlane start(
      TestDatabase db,
      String kafkaBootstrap,
      Map<String, String> overrides,
      Function<Map<String, String>, List<ServerFeature>> features) {
    TestIdentityProvider identity = TestIdentityProvider.start();
    try {
      Map<String, String> env = environment(db, identity, kafkaBootstrap);
      env.putAll(overrides);
      return new TestControlPlane(
          identity,
          ControlPlane.start(ControlPlaneSettings.fromEnvironment(env), features.apply(env)));
    } catch (RuntimeException e) {
      identity.close();
      throw e;
    }
  }

  public static Map<String, String> environment(
      TestDatabase db, TestIdentityProvider identity, String kafkaBootstrap) {
    PGSimpleDataSource owner = (PGSimpleDataSource) db.ownerDataSource();
    PGSimpleDataSource app = (PGSimpleDataSource) db.appDataSource();
    PGSimpleDataSource system = (PGSimpleDataSource) db.systemDataSource();
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_CP_HOST", "127.0.0.1");
    env.put("TURNPIKE_CP_PORT", "0");
    env.put("TURNPIKE_DB_URL", db.jdbcUrl());
    env.put("TURNPIKE_DB_OWNER_USER", owner.getUser());
    env.put("TURNPIKE_DB_OWNER_PASSWORD", owner.getPassword() == null ? "" : owner.getPassword());
    env.put("TURNPIKE_DB_USER", app.getUser());
    env.put("TURNPIKE_DB_PASSWORD", app.getPassword());
    env.put("TURNPIKE_DB_SYSTEM_USER", system.getUser());
    env.put("TURNPIKE_DB_SYSTEM_PASSWORD", system.getPassword());
    env.put("TURNPIKE_CP_DB_POOL_SIZE", "4");
    env.put("TURNPIKE_CP_OIDC_ISSUER", identity.issuer());
    env.put("TURNPIKE_CP_OIDC_AUDIENCE", TestIdentityProvider.AUDIENCE);
    env.put("TURNPIKE_CP_OIDC_JWKS_URL", identity.jwksUrl());
    env.put("TURNPIKE_CP_OIDC_LEEWAY_SECONDS", "0");
    // Test classes create many tenants and apps with one token; the caps' own tests set them low.
    env.put("TURNPIKE_CP_MAX_TENANTS_PER_USER", "100000");
    env.put("TURNPIKE_CP_DEFAULT_APPS_PER_DEVELOPER", "1000");
    if (kafkaBootstrap == null) {
      env.put("TURNPIKE_CP_OUTBOX_ENABLED", "false");
    } else {
      env.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
      env.put("TURNPIKE_CP_KAFKA_TOPIC_PARTITIONS", "1");
      env.put("TURNPIKE_CP_OUTBOX_POLL_MS", "20");
    }
    return env;
  }

  public ApiClient client() {
    return client;
  }

  public TestIdentityProvider identity() {
    return identity;
  }

  /** A valid token for the subject. */
  public String token(String subject) {
    return identity.token(subject);
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  @Override
  public void close() {
    controlPlane.close();
    identity.close();
  }
}
