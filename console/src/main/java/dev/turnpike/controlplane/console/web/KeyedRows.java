package dev.turnpike.controlplane.console.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A table of form rows that each edit one entry of a map a use case takes: a method throttle keyed
 * {@code "/pets/GET"}, a parameter mapping keyed by its target, a header keyed by its name. Without
 * JavaScript a page renders the entries plus {@link #BLANK_ROWS} blank rows; blank rows and rows
 * ticked "remove" are ignored. A row's messages are kept under the JSON pointer the use case
 * reports for its key ({@code /methodThrottles/~1pets~1GET}), so they appear beside the row that
 * sent it.
 *
 * <p>Field names are {@code prefix.index.field}, e.g. {@code mt.0.key}.
 */
public final class KeyedRows {
  public static final int BLANK_ROWS = 3;
  private static final int MAX_ROWS = 500;
  private static final String REMOVE = "remove";

  /** One row as a template renders it. */
  public record Row(int index, String prefix, String pointer) {
    /** The form field name of one of this row's fields. */
    public String name(String field) {
      return prefix + index + "." + field;
    }
  }

  /** One row that was sent filled in and not removed. */
  public record Sent(int index, String key, String pointer, String prefix) {
    public String name(String field) {
      return prefix + index + "." + field;
    }
  }

  private final String prefix;
  private final String keyField;
  private final String mapPointer;
  private final List<String> fields;
  private final List<String> suffixes;

  /**
   * @param prefix the rows' field-name prefix, e.g. {@code "mt"}
   * @param keyField the field that holds the entry's key
   * @param mapPointer the pointer of the map in the use case's input, e.g. {@code
   *     "/methodThrottles"}
   * @param fields every field of a row, the key field included
   * @param suffixes the pointers under an entry's own that its fields report, e.g. {@code
   *     "/rateLimit"}
   */
  public KeyedRows(
      String prefix,
      String keyField,
      String mapPointer,
      List<String> fields,
      List<String> suffixes) {
    this.prefix = prefix + ".";
    this.keyField = keyField;
    this.mapPointer = mapPointer;
    this.fields = List.copyOf(fields);
    this.suffixes = List.copyOf(suffixes);
  }

  /** The name of field {@code field} of row {@code index}, for filling a form in. */
  public String name(int index, String field) {
    return prefix + index + "." + field;
  }

  /** The pointer the use case reports for the entry {@code key}. */
  public String pointer(String key) {
    return mapPointer + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  /** A row without a key has no pointer of the use case; the console's own names it. */
  private String pointer(int index, String key) {
    return key == null ? mapPointer + "/-row" + index : pointer(key);
  }

  /** The rows to render: those filled in up to the last one, then {@link #BLANK_ROWS} blank. */
  public List<Row> rows(Form form) {
    int last = -1;
    for (int i = 0; i < MAX_ROWS; i++) {
      for (String field : fields) {
        if (form.raw(name(i, field)) != null) {
          last = i;
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i <= last + BLANK_ROWS; i++) {
      rows.add(new Row(i, prefix, pointer(i, form.raw(name(i, keyField)))));
    }
    return rows;
  }

  /** Every pointer the rows place beside a field, for {@link Form#placing}. */
  public Set<String> pointers(List<Row> rows) {
    Set<String> pointers = new HashSet<>();
    for (Row row : rows) {
      pointers.add(row.pointer());
      suffixes.forEach(s -> pointers.add(row.pointer() + s));
    }
    return pointers;
  }

  /**
   * Whether the form sent this table at all (a page always renders some rows). A form without it,
   * such as one from before the table existed, leaves the entries as they are.
   */
  public boolean wasSent(FormInput in) {
    return fields.stream().anyMatch(f -> !in.all(name(0, f)).isEmpty());
  }

  /**
   * The rows sent filled in and not ticked "remove". A row with fields but no key, and a key given
   * in two rows, are reported to {@code in} beside their rows.
   */
  public List<Sent> read(FormInput in, String missingKey) {
    List<Sent> sent = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < MAX_ROWS; i++) {
      final int index = i;
      if (fields.stream().allMatch(f -> in.all(name(index, f)).isEmpty())) {
        break;
      }
      if (in.checked(name(i, REMOVE))
          || fields.stream().allMatch(f -> in.text(name(index, f)) == null)) {
        continue;
      }
      String key = in.text(name(i, keyField));
      String pointer = pointer(i, key);
      if (key == null) {
        in.error(pointer, missingKey);
      } else if (!keys.add(key)) {
        in.error(pointer, "is given in more than one row");
      }
      sent.add(new Sent(i, key, pointer, prefix));
    }
    return sent;
  }
}
