package dev.turnpike.controlplane.db;

import java.lang.reflect.Array;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;

/**
 * Many rows written in one statement: each column's values travel as one array, and PostgreSQL's
 * {@code unnest} turns the arrays back into rows. Ten thousand routes are one statement with a
 * handful of bind values, where one statement per row (or a multi-row VALUES list rendered for
 * every row) cost seconds.
 *
 * <p>Values are given as Java arrays the driver binds as SQL arrays (UUID, String, Integer,
 * Boolean); each is cast to its column's type, so JSONB, timestamps and arrays are given as text
 * (arrays as {@link #textArray} literals: an array of arrays would unnest into its elements).
 */
public final class ArrayRows<R extends Record> {
  private final Table<R> table;
  private final Map<TableField<R, ?>, Object[]> columns = new LinkedHashMap<>();
  private final Map<TableField<R, ?>, Object> constants = new LinkedHashMap<>();

  public ArrayRows(Table<R> table) {
    this.table = table;
  }

  /**
   * A column whose value differs by row: one array element per row, in row order, of the column's
   * Java type (text for JSONB and timestamps).
   */
  public ArrayRows<R> column(TableField<R, ?> column, Object[] values) {
    Class<?> type = column.getType();
    Class<?> element =
        type == JSONB.class || type == OffsetDateTime.class || type.isArray() ? String.class : type;
    // A typed array, so the driver binds uuid[], text[], integer[] or boolean[].
    Object[] typed = (Object[]) Array.newInstance(element, values.length);
    System.arraycopy(values, 0, typed, 0, values.length);
    columns.put(column, typed);
    return this;
  }

  /** A text array as PostgreSQL's array literal, for an array column's value in one row. */
  public static String textArray(List<String> values) {
    StringBuilder literal = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      literal.append(i == 0 ? "" : ",").append('"');
      for (char c : values.get(i).toCharArray()) {
        if (c == '"' || c == '\\') {
          literal.append('\\');
        }
        literal.append(c);
      }
      literal.append('"');
    }
    return literal.append('}').toString();
  }

  /** A column with the same value in every row. */
  public <T> ArrayRows<R> constant(TableField<R, T> column, T value) {
    constants.put(column, value);
    return this;
  }

  /** Inserts the rows. */
  public void insert(DSLContext tx) {
    if (rowCount() == 0) {
      return;
    }
    List<Field<?>> targets = new ArrayList<>();
    List<Field<?>> values = new ArrayList<>();
    constants.forEach(
        (column, value) -> {
          targets.add(column);
          values.add(DSL.val(value, column.getDataType()));
        });
    int i = 0;
    for (TableField<R, ?> column : columns.keySet()) {
      targets.add(column);
      values.add(unnested(column, i++));
    }
    planForTheirSize(tx);
    tx.insertInto(table).columns(targets).select(DSL.select(values).from(unnest())).execute();
  }

  /**
   * Changes the rows whose {@code key} matches a row's value; every other array column is set. The
   * key column must be given as an array column.
   *
   * @param scope a condition every changed row must meet as well (its tenant)
   */
  public void update(DSLContext tx, TableField<R, ?> key, Condition scope) {
    if (rowCount() == 0) {
      return;
    }
    UpdateSetMoreStep<R> update = null;
    Field<?> keyValue = null;
    int i = 0;
    for (TableField<R, ?> column : columns.keySet()) {
      Field<?> value = unnested(column, i++);
      if (column.equals(key)) {
        keyValue = value;
      } else {
        update = set(update == null ? tx.update(table) : update, column, value);
      }
    }
    if (update == null || keyValue == null) {
      throw new IllegalStateException("an update needs the key and a column to set");
    }
    update.from(unnest()).where(scope).and(matches(key, keyValue)).execute();
  }

  @SuppressWarnings("unchecked")
  private static <R extends Record, T> UpdateSetMoreStep<R> set(
      org.jooq.UpdateSetStep<R> update, TableField<R, T> column, Field<?> value) {
    return update.set(column, (Field<T>) value);
  }

  /**
   * Plans this transaction's statements, the foreign key checks of each written row among them, for
   * the tables as they are now. A plan cached while a table was small scans it whole: once the
   * statement writes thousands of rows into it, every row's check would scan thousands of rows.
   */
  private static void planForTheirSize(DSLContext tx) {
    tx.execute("set local plan_cache_mode = force_custom_plan");
  }

  @SuppressWarnings("unchecked")
  private static <T> Condition matches(TableField<?, T> key, Field<?> value) {
    return key.eq((Field<T>) value);
  }

  private int rowCount() {
    return columns.isEmpty() ? 0 : columns.values().iterator().next().length;
  }

  private Table<?> unnest() {
    List<Field<?>> arrays = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int i = 0;
    for (Object[] values : columns.values()) {
      arrays.add(DSL.val(values));
      names.add("c" + i++);
    }
    StringBuilder sql = new StringBuilder("unnest(");
    for (int a = 0; a < arrays.size(); a++) {
      sql.append(a == 0 ? "" : ", ").append('{').append(a).append('}');
    }
    return DSL.table(sql.append(')').toString(), arrays.toArray())
        .as("v", names.toArray(String[]::new));
  }

  private static Field<?> unnested(TableField<?, ?> column, int index) {
    return DSL.field(DSL.name("v", "c" + index)).cast(column.getDataType());
  }
}
