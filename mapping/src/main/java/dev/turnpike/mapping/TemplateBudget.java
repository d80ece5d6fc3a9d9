package dev.turnpike.mapping;

import java.time.Duration;
import java.util.Objects;

/**
 * What one rendering may spend. A template is tenant code run on the gateway's loop, so every
 * rendering carries a budget and stops, as a {@link Rendered.Failed}, when it runs past any part.
 * The checks are cooperative (at every output write, variable assignment, loop turn and method
 * call), so a template stops within one such step of its deadline.
 *
 * @param time the wall-clock time a rendering may take
 * @param maxOutputChars the characters a rendering may write, and the largest text any value built
 *     on the way (an interpolated string, a {@code $util} result, a printed map) may have; maps and
 *     lists Velocity prints by itself (to compare or add them) may take 16 times that in all
 * @param maxSteps the assignments, loop turns and method calls a rendering may make
 * @param maxJsonChars the largest JSON text {@code $input} and {@code $util.parseJson} will parse
 */
public record TemplateBudget(Duration time, int maxOutputChars, int maxSteps, int maxJsonChars) {

  /**
   * 100 ms, 1 MiB of output, 100,000 steps, 10 MiB of JSON: API Gateway's own payload limit is 10
   * MB, and the largest documented templates take well under a thousand steps.
   */
  public static final TemplateBudget DEFAULT =
      new TemplateBudget(Duration.ofMillis(100), 1 << 20, 100_000, 10 << 20);

  public TemplateBudget {
    Objects.requireNonNull(time, "time");
    if (time.isNegative() || time.isZero()) {
      throw new IllegalArgumentException("a template budget's time must be positive: " + time);
    }
    if (maxOutputChars <= 0 || maxSteps <= 0 || maxJsonChars <= 0) {
      throw new IllegalArgumentException(
          "a template budget's limits must be positive: output "
              + maxOutputChars
              + ", steps "
              + maxSteps
              + ", json "
              + maxJsonChars);
    }
  }

  public TemplateBudget withTime(Duration newTime) {
    return new TemplateBudget(newTime, maxOutputChars, maxSteps, maxJsonChars);
  }

  public TemplateBudget withMaxOutputChars(int chars) {
    return new TemplateBudget(time, chars, maxSteps, maxJsonChars);
  }

  public TemplateBudget withMaxSteps(int steps) {
    return new TemplateBudget(time, maxOutputChars, steps, maxJsonChars);
  }
}
