package dev.turnpike.controlplane.limit;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.LimitBreach;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.settings.SettingsReader;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The value of every {@link Limit}, read once at start, and the check use cases make before a
 * change: a request that would pass a limit is refused with a 400 {@code limit-exceeded} problem
 * naming the limit, its setting, the most it allows and what the request would make, and changes
 * nothing (the use case throws before it writes, or its transaction rolls back).
 *
 * <p>Counts are read in the request's transaction. Changes to one API lock the API row first, so
 * its limits hold exactly; tenant-wide counts (APIs, plans, apps) may be overshot by requests that
 * run at the same moment, at most by the number of them, never without bound.
 */
public final class OwnerLimits {
  private final Map<Limit, Integer> values;

  private OwnerLimits(Map<Limit, Integer> values) {
    this.values = new EnumMap<>(values);
  }

  /** Every limit at its default. */
  public static OwnerLimits defaults() {
    return with(Map.of());
  }

  /** The defaults with some limits changed (tests, embedding). */
  public static OwnerLimits with(Map<Limit, Integer> changed) {
    Map<Limit, Integer> values = new EnumMap<>(Limit.class);
    for (Limit limit : Limit.values()) {
      values.put(limit, changed.getOrDefault(limit, limit.defaultMax()));
    }
    return new OwnerLimits(values);
  }

  /** Reads each limit's variable; a value out of range is a problem naming it. */
  public static OwnerLimits read(SettingsReader read) {
    Map<Limit, Integer> values = new EnumMap<>(Limit.class);
    for (Limit limit : Limit.values()) {
      values.put(limit, read.integer(limit.setting(), limit.defaultMax(), 1, limit.highest()));
    }
    return new OwnerLimits(values);
  }

  public int max(Limit limit) {
    return values.get(limit);
  }

  /**
   * @param actual how many (or how large) the request would make it
   * @param pointer where in the request the excess is, or null for the request as a whole
   * @throws ApiFailure limit-exceeded when {@code actual} is above the limit
   */
  public void check(Limit limit, long actual, String pointer) {
    if (actual > max(limit)) {
      throw exceeded(limit, actual, pointer, ProblemKind.LIMIT_EXCEEDED);
    }
  }

  /**
   * The failure for a request past {@code limit}.
   *
   * @param actual what the request would make, or -1 when not known
   */
  public ApiFailure exceeded(Limit limit, long actual, String pointer, ProblemKind kind) {
    String message =
        "the limit is "
            + format(max(limit))
            + " "
            + limit.description()
            + " ("
            + limit.setting()
            + ")"
            + (actual >= 0 ? "; this request would make " + format(actual) : "");
    return new ApiFailure(
        kind,
        "Limit exceeded: " + message + "; nothing was changed",
        pointer == null ? List.of() : List.of(new FieldError(pointer, message)),
        new LimitBreach(limit.description(), limit.setting(), max(limit), actual));
  }

  private static String format(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  @Override
  public String toString() {
    return "OwnerLimits" + values;
  }
}
