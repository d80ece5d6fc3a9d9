package dev.turnpike.controlplane.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An in-memory database for the use cases' fast tests: named tables of immutable rows, each row
 * owned by one tenant. A transaction works on a copy of the committed tables and replaces them only
 * when its work returns, so a use case that fails half-way leaves nothing behind, as a rolled-back
 * PostgreSQL transaction does. One transaction runs at a time.
 */
public final class MemoryDb {
  private record Key(UUID tenantId, Object id) {}

  private record Row(UUID tenantId, Object value) {}

  private Map<String, LinkedHashMap<Key, Row>> committed = new HashMap<>();
  // Like a PostgreSQL sequence: numbers handed out by a rolled-back transaction are not reused.
  private final AtomicLong sequence = new AtomicLong();

  /** Runs {@code work} in one transaction, committing what it wrote only if it returns. */
  public synchronized <T> T transact(Function<Tx, T> work) {
    Tx tx = new Tx(copy(committed));
    T result = work.apply(tx);
    committed = tx.tables;
    return result;
  }

  /** Reads the committed state (for a test's assertions); nothing written here is kept. */
  public synchronized <T> T read(Function<Tx, T> query) {
    return query.apply(new Tx(copy(committed)));
  }

  private static Map<String, LinkedHashMap<Key, Row>> copy(
      Map<String, LinkedHashMap<Key, Row>> tables) {
    Map<String, LinkedHashMap<Key, Row>> copy = new HashMap<>();
    tables.forEach((name, rows) -> copy.put(name, new LinkedHashMap<>(rows)));
    return copy;
  }

  /** One transaction's working copy of the tables. */
  public final class Tx {
    private final Map<String, LinkedHashMap<Key, Row>> tables;

    private Tx(Map<String, LinkedHashMap<Key, Row>> tables) {
      this.tables = tables;
    }

    /** The rows of one tenant only, as row-level security shows them. */
    public <T> Table<T> table(String name, UUID tenantId, Class<T> type) {
      return new Table<>(tables.computeIfAbsent(name, n -> new LinkedHashMap<>()), tenantId, type);
    }

    /** Every tenant's rows: for what lies beneath row-level security (unique indexes, users). */
    public <T> Table<T> everyTenant(String name, Class<T> type) {
      return new Table<>(tables.computeIfAbsent(name, n -> new LinkedHashMap<>()), null, type);
    }

    /** The next number of the database's one sequence. */
    public long nextId() {
      return sequence.incrementAndGet();
    }
  }

  /** A table seen by one tenant, or by every tenant when the tenant is null. */
  public static final class Table<T> {
    private final LinkedHashMap<Key, Row> rows;
    private final UUID tenantId;
    private final Class<T> type;

    private Table(LinkedHashMap<Key, Row> rows, UUID tenantId, Class<T> type) {
      this.rows = rows;
      this.tenantId = tenantId;
      this.type = type;
    }

    public Optional<T> get(Object id) {
      if (tenantId == null) {
        throw new IllegalStateException("read one row through a tenant's table");
      }
      Row row = rows.get(new Key(tenantId, id));
      return row == null ? Optional.empty() : Optional.of(type.cast(row.value()));
    }

    /** Inserts or replaces the row with this id. */
    public void put(Object id, T value) {
      if (tenantId == null) {
        throw new IllegalStateException("write through a tenant's table");
      }
      rows.put(new Key(tenantId, id), new Row(tenantId, value));
    }

    public boolean remove(Object id) {
      return tenantId != null && rows.remove(new Key(tenantId, id)) != null;
    }

    public int removeIf(Predicate<T> condition) {
      List<Key> gone = new ArrayList<>();
      rows.forEach(
          (key, row) -> {
            if (visible(row) && condition.test(type.cast(row.value()))) {
              gone.add(key);
            }
          });
      gone.forEach(rows::remove);
      return gone.size();
    }

    /** Replaces each matching row with {@code change} of it; returns how many changed. */
    public int update(Predicate<T> condition, Function<T, T> change) {
      int changed = 0;
      for (Map.Entry<Key, Row> entry : rows.entrySet()) {
        Row row = entry.getValue();
        if (visible(row) && condition.test(type.cast(row.value()))) {
          entry.setValue(new Row(row.tenantId(), change.apply(type.cast(row.value()))));
          changed++;
        }
      }
      return changed;
    }

    public List<T> all() {
      return where(r -> true);
    }

    public List<T> where(Predicate<T> condition) {
      List<T> result = new ArrayList<>();
      for (Row row : rows.values()) {
        if (visible(row) && condition.test(type.cast(row.value()))) {
          result.add(type.cast(row.value()));
        }
      }
      return result;
    }

    public List<T> where(Predicate<T> condition, Comparator<T> order) {
      List<T> result = where(condition);
      result.sort(order);
      return result;
    }

    public boolean exists(Predicate<T> condition) {
      return !where(condition).isEmpty();
    }

    public int count(Predicate<T> condition) {
      return where(condition).size();
    }

    private boolean visible(Row row) {
      return (tenantId == null || tenantId.equals(row.tenantId())) && type.isInstance(row.value());
    }
  }
}
