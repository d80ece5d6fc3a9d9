package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tx.Stores;
import dev.turnpike.controlplane.tx.TxStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A port opens once per transaction, on that transaction's tenant, from the stores it came from.
 */
class TxStoreTest {
  /** A store that remembers what it was opened on. */
  record Opened(MemoryDb.Tx tx, UUID tenantId) {}

  private final List<Opened> opened = new ArrayList<>();
  private final Stores<MemoryDb.Tx> stores =
      new Stores<MemoryDb.Tx>()
          .register(
              Opened.class,
              (tx, tenantId) -> {
                Opened store = new Opened(tx, tenantId);
                opened.add(store);
                return store;
              });
  private final MemoryDb db = new MemoryDb();
  private final Caller caller = new Caller(UUID.randomUUID(), "sub", null, "someone");

  private MemoryTenantTx tx(MemoryDb.Tx on, UUID tenantId, Stores<MemoryDb.Tx> from) {
    return new MemoryTenantTx(
        on, tenantId, caller, Role.OWNER, Instant.EPOCH, from.openOn(on, tenantId));
  }

  @Test
  void opens_a_store_once_per_transaction_on_its_tenant() {
    TxStore<Opened> port = stores.port(Opened.class);
    UUID tenant = UUID.randomUUID();

    db.transact(
        on -> {
          MemoryTenantTx tx = tx(on, tenant, stores);
          assertThat(port.in(tx)).isSameAs(port.in(tx));
          assertThat(port.in(tx).tenantId()).isEqualTo(tenant);
          return null;
        });
    db.transact(on -> port.in(tx(on, tenant, stores)));

    assertThat(opened).hasSize(2);
  }

  @Test
  void an_unregistered_port_is_refused_when_it_is_asked_for() {
    assertThatThrownBy(() -> stores.port(String.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void a_port_from_other_stores_is_refused_on_this_transaction() {
    TxStore<Opened> foreign =
        new Stores<MemoryDb.Tx>().register(Opened.class, Opened::new).port(Opened.class);

    assertThatThrownBy(() -> db.transact(on -> foreign.in(tx(on, UUID.randomUUID(), stores))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Opened.class.getName());
    assertThat(opened).isEmpty();
  }
}
