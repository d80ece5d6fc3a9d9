package dev.turnpike.controlplane.alarm;

import java.util.Arrays;
import java.util.Optional;

/** How an alarm's metric is held to its threshold: the alarm fires while this holds. */
public enum Comparison {
  GT("gt"),
  GE("ge"),
  LT("lt"),
  LE("le");

  private final String name;

  Comparison(String name) {
    this.name = name;
  }

  public String wireName() {
    return name;
  }

  public static Optional<Comparison> of(String name) {
    return Arrays.stream(values()).filter(c -> c.name.equals(name)).findFirst();
  }

  public boolean holds(double value, double threshold) {
    return switch (this) {
      case GT -> value > threshold;
      case GE -> value >= threshold;
      case LT -> value < threshold;
      case LE -> value <= threshold;
    };
  }
}
