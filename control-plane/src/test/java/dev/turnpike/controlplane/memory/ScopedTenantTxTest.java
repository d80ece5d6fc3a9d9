package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.controlplane.audit.AuditEntry;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tx.Stores;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping every tenant transaction shares (the jOOQ one and this in-memory one alike): it
 * is opened for someone at one clock reading, and its audit rows name that someone and that
 * reading.
 */
class ScopedTenantTxTest {
  private final MemoryDb db = new MemoryDb();
  private final Stores<MemoryDb.Tx> stores = new Stores<>();
  private final UUID tenant = UUID.randomUUID();
  private final Caller caller = new Caller(UUID.randomUUID(), "sub", null, "Ada");
  private final Instant at = Instant.parse("2026-01-05T09:00:00Z");

  @Test
  void a_transaction_for_nobody_is_refused_when_it_is_opened() {
    assertThatThrownBy(
            () ->
                db.transact(
                    tx ->
                        new MemoryTenantTx(
                            tx, tenant, null, Role.OWNER, at, stores.openOn(tx, tenant))))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("caller");
  }

  @Test
  void its_audit_rows_name_the_caller_its_clock_reading_and_the_resource_as_json() {
    db.transact(
        tx -> {
          new MemoryTenantTx(tx, tenant, caller, Role.OWNER, at, stores.openOn(tx, tenant))
              .audit()
              .record("thing.update", "thing", 7, Map.of("n", 1), Map.of("n", 2));
          return null;
        });

    List<AuditEntry> entries =
        db.read(
            tx ->
                tx.table(MemoryAudit.TABLE, tenant, AuditEntry.class)
                    .where(e -> true, Comparator.comparingLong(AuditEntry::id)));
    assertThat(entries)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actorUserId()).isEqualTo(caller.userId());
              assertThat(e.actor()).isEqualTo(caller.label());
              assertThat(e.entityId()).isEqualTo("7");
              assertThat(e.before()).isEqualTo("{\"n\":1}");
              assertThat(e.after()).isEqualTo("{\"n\":2}");
              assertThat(e.createdAt()).isEqualTo(at);
            });
  }
}
