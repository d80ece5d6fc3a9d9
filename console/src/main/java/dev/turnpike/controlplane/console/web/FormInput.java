package dev.turnpike.controlplane.console.web;

import dev.turnpike.controlplane.problem.Validation;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Reads a submitted form into the typed values a use case takes. Text the browser sends blank
 * becomes null (absent), as a JSON client would leave the field out; numbers that do not parse are
 * reported under the pointer the use case would use, so they show beside the same field.
 */
public final class FormInput {
  private final MultiMap attributes;
  private final Validation validation = new Validation();

  public FormInput(MultiMap attributes) {
    this.attributes = attributes;
  }

  public String text(String name) {
    String value = attributes.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  public List<String> all(String name) {
    return attributes.getAll(name);
  }

  public boolean checked(String name) {
    String value = attributes.get(name);
    return value != null && !value.isEmpty() && !value.equals("false");
  }

  public Integer integer(String name, String pointer) {
    Long value = whole(name, pointer);
    if (value == null) {
      return null;
    }
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      validation.add(pointer, "is too large");
      return null;
    }
    return value.intValue();
  }

  public Long whole(String name, String pointer) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      validation.add(pointer, "must be a whole number");
      return null;
    }
  }

  public Double decimal(String name, String pointer) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      validation.add(pointer, "must be a number");
      return null;
    }
  }

  /**
   * An amount in major units (e.g. dollars) as minor units: {@code scale} 2 gives cents, 6 gives
   * micro-units. More decimals than the scale holds is an error, never a silent rounding.
   */
  public Long money(String name, String pointer, int scale) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    try {
      BigDecimal amount = new BigDecimal(value);
      BigDecimal minor = amount.movePointRight(scale);
      if (minor.stripTrailingZeros().scale() > 0) {
        validation.add(pointer, "has more than " + scale + " decimal places");
        return null;
      }
      return minor.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      validation.add(pointer, "must be an amount such as 12.50");
      return null;
    }
  }

  /** A problem the console finds in what was sent, reported as the use case would report it. */
  public void error(String pointer, String message) {
    validation.add(pointer, message);
  }

  /** Stops with every parse problem found, before the use case runs. */
  public void throwIfInvalid() {
    validation.throwIfInvalid();
  }

  /** Minor units back to the decimal text the form shows. */
  public static String major(long minor, int scale) {
    return BigDecimal.valueOf(minor).movePointLeft(scale).stripTrailingZeros().toPlainString();
  }
}
