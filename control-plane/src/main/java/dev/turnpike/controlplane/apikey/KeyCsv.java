package dev.turnpike.controlplane.apikey;

import dev.turnpike.controlplane.problem.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads API keys from the CSV file API Gateway's {@code ImportApiKeys} takes: a header row naming
 * the columns ({@code name}, {@code key}, {@code description}, {@code enabled}, {@code
 * usageplanIds}, in any order and case), then one key per row, RFC 4180 quoting. Problems are
 * reported per cell with a JSON pointer {@code /rows/{row}/{column}}, rows counted from 1 after the
 * header, so one bad row never hides another.
 */
public final class KeyCsv {
  /** AWS accepts keys of 20 to 128 characters; the same bounds keep imported keys unguessable. */
  static final int MIN_KEY_LENGTH = 20;

  static final int MAX_KEY_LENGTH = 128;
  static final int MAX_ROWS = 10_000;

  private static final List<String> KNOWN =
      List.of("name", "key", "description", "enabled", "usageplanids");

  /** One key to import: the plain key, which is hashed and never stored. */
  public record Row(int number, String name, String plainKey, boolean enabled, List<UUID> planIds) {
    @Override
    public String toString() {
      // Keeps the secret out of logs and exception messages.
      return "Row[" + number + ", " + name + "]";
    }
  }

  /** The readable rows, and every problem found in the others. */
  public record Parsed(List<Row> rows, List<FieldError> problems) {}

  private KeyCsv() {}

  public static Parsed parse(String text) {
    List<FieldError> problems = new ArrayList<>();
    List<List<String>> records = records(text);
    records.removeIf(r -> r.size() == 1 && r.get(0).isBlank());
    if (records.isEmpty()) {
      problems.add(new FieldError("/header", "the file is empty; expected a header row"));
      return new Parsed(List.of(), problems);
    }
    Map<String, Integer> columns = header(records.get(0), problems);
    if (!problems.isEmpty()) {
      return new Parsed(List.of(), problems);
    }
    if (records.size() - 1 > MAX_ROWS) {
      problems.add(new FieldError("/rows", "at most " + MAX_ROWS + " keys per import"));
      return new Parsed(List.of(), problems);
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < records.size(); i++) {
      row(i, records.get(i), columns, problems).ifPresent(rows::add);
    }
    return new Parsed(rows, problems);
  }

  private static Map<String, Integer> header(List<String> cells, List<FieldError> problems) {
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < cells.size(); i++) {
      String name = cells.get(i).strip().toLowerCase(Locale.ROOT);
      if (!KNOWN.contains(name)) {
        problems.add(
            new FieldError(
                "/header/" + i,
                "unknown column '"
                    + cells.get(i).strip()
                    + "'; expected "
                    + String.join(", ", KNOWN)));
      } else if (columns.putIfAbsent(name, i) != null) {
        problems.add(new FieldError("/header/" + i, "column '" + name + "' appears twice"));
      }
    }
    if (!columns.containsKey("key")) {
      problems.add(new FieldError("/header", "a 'key' column is required"));
    }
    return columns;
  }

  private static Optional<Row> row(
      int number, List<String> cells, Map<String, Integer> columns, List<FieldError> problems) {
    String at = "/rows/" + number + "/";
    int before = problems.size();
    String key = cell(cells, columns, "key");
    if (key.isEmpty()) {
      problems.add(new FieldError(at + "key", "a key is required"));
    } else if (key.length() < MIN_KEY_LENGTH || key.length() > MAX_KEY_LENGTH) {
      problems.add(
          new FieldError(
              at + "key",
              "must be " + MIN_KEY_LENGTH + " to " + MAX_KEY_LENGTH + " characters long"));
    } else if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      problems.add(new FieldError(at + "key", "must be printable ASCII without spaces"));
    }
    String name = cell(cells, columns, "name");
    if (name.length() > 200) {
      problems.add(new FieldError(at + "name", "must be at most 200 characters long"));
    }
    boolean enabled = true;
    String enabledText = cell(cells, columns, "enabled").toLowerCase(Locale.ROOT);
    switch (enabledText) {
      case "", "true" -> enabled = true;
      case "false" -> enabled = false;
      default -> problems.add(new FieldError(at + "enabled", "must be true or false"));
    }
    List<UUID> plans = new ArrayList<>();
    for (String id : cell(cells, columns, "usageplanids").split("[,;]")) {
      if (id.isBlank()) {
        continue;
      }
      try {
        plans.add(UUID.fromString(id.strip()));
      } catch (IllegalArgumentException e) {
        problems.add(new FieldError(at + "usageplanIds", "'" + id.strip() + "' is no plan id"));
      }
    }
    if (cells.size() > columns.size()) {
      problems.add(new FieldError(at.substring(0, at.length() - 1), "more cells than columns"));
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    String shownName = name.isEmpty() ? "imported key " + number : name;
    return Optional.of(new Row(number, shownName, key, enabled, List.copyOf(plans)));
  }

  private static String cell(List<String> cells, Map<String, Integer> columns, String column) {
    Integer index = columns.get(column);
    return index == null || index >= cells.size() ? "" : cells.get(index).strip();
  }

  /** RFC 4180 records: quoted cells may hold commas, doubled quotes and line breaks. */
  private static List<List<String>> records(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    int i = text.startsWith("\uFEFF") ? 1 : 0;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        record.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        record.add(cell.toString());
        cell.setLength(0);
        records.add(record);
        record = new ArrayList<>();
      } else {
        cell.append(c);
      }
    }
    if (cell.length() > 0 || !record.isEmpty()) {
      record.add(cell.toString());
      records.add(record);
    }
    return records;
  }
}
