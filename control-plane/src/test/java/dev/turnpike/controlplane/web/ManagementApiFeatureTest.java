package dev.turnpike.controlplane.web;

import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.OUTBOX;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The management API over real HTTP on a real PostgreSQL, one test class per feature, all on one
 * {@link ManagementApiWorld} (started once per test JVM).
 */
@ExtendWith(ManagementApiWorld.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ManagementApiFeatureTest {
  TestControlPlane cp;
  ApiClient api;
  DSLContext owner;
  String token;
  Fixture fx;

  @BeforeAll
  void join(ManagementApiWorld world) {
    cp = world.cp();
    api = world.cp().client();
    owner = world.db().ownerDsl();
    // A token per class: the test identity provider's tokens live five minutes, less than a run.
    token = world.cp().token(world.owner());
    fx = new Fixture(api, token);
  }

  /** The outbox rows of a tenant, oldest first: topic, key, payload. */
  List<Record3<String, String, byte[]>> outbox(String tenant) {
    return owner
        .select(OUTBOX.TOPIC, OUTBOX.MESSAGE_KEY, OUTBOX.PAYLOAD)
        .from(OUTBOX)
        .where(OUTBOX.TENANT_ID.eq(UUID.fromString(tenant)))
        .orderBy(OUTBOX.ID)
        .fetch();
  }

  Record3<String, String, byte[]> lastOutbox(String tenant, String topic, String key) {
    return outbox(tenant).stream()
        .filter(r -> r.value1().equals(topic) && r.value2().equals(key))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no outbox row for " + topic + " " + key));
  }

  int auditCount(String tenant, String action) {
    return owner.fetchCount(
        AUDIT_LOG, AUDIT_LOG.TENANT_ID.eq(UUID.fromString(tenant)), AUDIT_LOG.ACTION.eq(action));
  }
}
