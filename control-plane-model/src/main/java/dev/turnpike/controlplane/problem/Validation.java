package dev.turnpike.controlplane.problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Collects every problem of a request before answering, so a client fixes them all in one round
 * trip. Pointers are JSON Pointers into the request body.
 */
public final class Validation {
  private final List<FieldError> errors = new ArrayList<>();

  public Validation add(String pointer, String message) {
    errors.add(new FieldError(pointer, message));
    return this;
  }

  public boolean required(String pointer, Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      add(pointer, "is required");
      return false;
    }
    return true;
  }

  public void forbidden(String pointer, Object value, String reason) {
    if (value != null
        && !(value instanceof Collection<?> c && c.isEmpty())
        && !(value instanceof Map<?, ?> m && m.isEmpty())) {
      add(pointer, reason);
    }
  }

  public void matches(String pointer, String value, Pattern pattern, String message) {
    if (value != null && !pattern.matcher(value).matches()) {
      add(pointer, message);
    }
  }

  public void length(String pointer, String value, int min, int max) {
    if (value != null && (value.length() < min || value.length() > max)) {
      add(pointer, "must be " + min + " to " + max + " characters long");
    }
  }

  public void range(String pointer, Number value, long min, long max) {
    if (value != null && (value.longValue() < min || value.longValue() > max)) {
      add(pointer, "must be between " + min + " and " + max);
    }
  }

  public void atLeast(String pointer, Number value, double min) {
    if (value != null && !(value.doubleValue() >= min)) {
      add(pointer, "must be at least " + (min == Math.rint(min) ? (long) min : min));
    }
  }

  public <T> void check(String pointer, T value, Predicate<T> valid, String message) {
    if (value != null && !valid.test(value)) {
      add(pointer, message);
    }
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  /**
   * @throws ApiFailure with every problem collected, if there is any
   */
  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw new ApiFailure(
          ProblemKind.VALIDATION_FAILED,
          "The request has "
              + errors.size()
              + (errors.size() == 1 ? " invalid field" : " invalid fields"),
          errors);
    }
  }
}
