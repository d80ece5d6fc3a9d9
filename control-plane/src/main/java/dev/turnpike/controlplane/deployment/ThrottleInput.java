package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.controlplane.problem.Validation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A throttle as an owner sets it (rate per second and burst), on a stage, a stage's method, a plan
 * or a plan's stage and method: one home for its rules, so the management API and the console check
 * it the same way everywhere.
 */
public record ThrottleInput(Double rateLimit, Integer burstLimit) {

  /** The input that shows {@code limit} again (to edit it), or null for none. */
  public static ThrottleInput of(ThrottleLimit limit) {
    return limit == null ? null : new ThrottleInput(limit.rateLimit(), limit.burstLimit());
  }

  /** The inputs that show {@code limits} again, keyed as they are; empty for null. */
  public static Map<String, ThrottleInput> inputs(Map<String, ThrottleLimit> limits) {
    Map<String, ThrottleInput> out = new LinkedHashMap<>();
    if (limits != null) {
      limits.forEach((key, limit) -> out.put(key, of(limit)));
    }
    return out;
  }

  /** The limit this input sets, or null for a null input. */
  public static ThrottleLimit limit(ThrottleInput in) {
    return in == null ? null : new ThrottleLimit(in.rateLimit(), in.burstLimit());
  }

  /** The limits these inputs set, keyed as they are; empty for null. */
  public static Map<String, ThrottleLimit> limits(Map<String, ThrottleInput> in) {
    Map<String, ThrottleLimit> out = new LinkedHashMap<>();
    if (in != null) {
      in.forEach((key, input) -> out.put(key, limit(input)));
    }
    return out;
  }

  /** Checks {@code throttle}'s values (nothing for null), each problem under {@code pointer}. */
  public static void validate(Validation v, String pointer, ThrottleInput throttle) {
    if (throttle == null) {
      return;
    }
    if (v.required(pointer + "/rateLimit", throttle.rateLimit())) {
      v.atLeast(pointer + "/rateLimit", throttle.rateLimit(), 0);
      v.check(
          pointer + "/rateLimit",
          throttle.rateLimit(),
          r -> !r.isInfinite() && r <= 1_000_000_000,
          "is too large");
    }
    if (v.required(pointer + "/burstLimit", throttle.burstLimit())) {
      v.atLeast(pointer + "/burstLimit", throttle.burstLimit(), 0);
    }
  }
}
