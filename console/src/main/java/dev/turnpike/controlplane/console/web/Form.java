package dev.turnpike.controlplane.console.web;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.webkit.CsrfGuard;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A form as the person filled it in, with the use case's validation messages keyed by the JSON
 * pointers it reported. Templates put each message beside its field ({@link #error}) and list the
 * rest above the form ({@link #unplaced}), so no message is ever lost.
 */
public final class Form {
  private final Map<String, String> values;
  private final Map<String, List<String>> errors = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private Set<String> placed = Set.of();

  private Form(Map<String, String> values) {
    this.values = values;
  }

  public static Form empty() {
    return new Form(new LinkedHashMap<>());
  }

  public static Form of(MultiMap attributes) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : attributes.names()) {
      if (name.equals(CsrfGuard.FIELD)) {
        continue;
      }
      List<String> all = attributes.getAll(name);
      values.put(name, all.getFirst());
      // Checkbox groups send one value per ticked box; each is remembered as "name:value".
      all.forEach(value -> values.put(name + ":" + value, "on"));
    }
    return new Form(values);
  }

  public static Form of(Map<String, String> values) {
    return new Form(new LinkedHashMap<>(values));
  }

  /**
   * Adds a failure's messages: field errors by pointer, and its detail when it has none, or lists
   * only the first of them (the detail says how many there are), or names a limit.
   */
  public Form failed(ApiFailure failure) {
    if (failure.errors().isEmpty()
        || failure.totalErrors() > failure.errors().size()
        || failure.limit() != null) {
      problems.add(failure.detail());
    }
    for (FieldError error : failure.errors()) {
      errors.computeIfAbsent(error.pointer(), p -> new ArrayList<>()).add(error.message());
    }
    return this;
  }

  /** A message of the console's own, e.g. a number that did not parse. */
  public Form error(String pointer, String message) {
    errors.computeIfAbsent(pointer, p -> new ArrayList<>()).add(message);
    return this;
  }

  /** The pointers that have a place beside a field in this form's template. */
  public Form placing(Set<String> pointers) {
    this.placed = Set.copyOf(pointers);
    return this;
  }

  public boolean hasErrors() {
    return !errors.isEmpty() || !problems.isEmpty();
  }

  public String value(String name) {
    return values.getOrDefault(name, "");
  }

  public String value(String name, String fallback) {
    String value = values.get(name);
    return value == null ? fallback : value;
  }

  public boolean checked(String name) {
    String value = values.get(name);
    return value != null && !value.isEmpty() && !value.equals("false");
  }

  public Form set(String name, String value) {
    values.put(name, value == null ? "" : value);
    return this;
  }

  /** The raw value, null when the field was absent or blank. */
  public String raw(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  public boolean has(String pointer) {
    return errors.containsKey(pointer);
  }

  /** The messages for one pointer, joined; empty when there are none. */
  public String error(String pointer) {
    List<String> messages = errors.get(pointer);
    return messages == null ? "" : String.join("; ", messages);
  }

  /**
   * Messages with no field of their own in the template, each with the JSON pointer it names (empty
   * for a message about the whole form).
   */
  public List<FieldError> unplaced() {
    List<FieldError> out = new ArrayList<>();
    problems.forEach(p -> out.add(new FieldError("", p)));
    errors.forEach(
        (pointer, messages) -> {
          if (!placed.contains(pointer)) {
            messages.forEach(m -> out.add(new FieldError(pointer, m)));
          }
        });
    return out;
  }
}
