package dev.turnpike.mapping;

/**
 * One rendering's spending against its {@link TemplateBudget}: the writer, the context, the
 * introspector and the utilities call it, and it throws {@link BudgetExceeded} at the first step
 * past the budget. Confined to the rendering's thread.
 */
final class RenderGuard {
  private static final ThreadLocal<RenderGuard> CURRENT = new ThreadLocal<>();

  private final TemplateBudget budget;
  private final long deadline;
  private long steps;
  private long written;
  private long built;
  private Throwable failure;

  RenderGuard(TemplateBudget budget) {
    this.budget = budget;
    this.deadline = System.nanoTime() + budget.time().toNanos();
  }

  TemplateBudget budget() {
    return budget;
  }

  /**
   * The guard of the rendering running on this thread: method calls reach the introspector without
   * the context, so it finds the guard here.
   */
  static RenderGuard current() {
    return CURRENT.get();
  }

  void attach() {
    CURRENT.set(this);
  }

  void detach() {
    CURRENT.remove();
  }

  /** One assignment, loop turn or method call. */
  void step() {
    if (++steps > budget.maxSteps()) {
      throw exceeded("the template took more than " + budget.maxSteps() + " steps");
    }
    checkTime();
  }

  /** Characters about to be written to the output. */
  void write(int chars) {
    written += chars;
    if (written > budget.maxOutputChars()) {
      throw exceeded("the template wrote more than " + budget.maxOutputChars() + " characters");
    }
    checkTime();
  }

  /** A value about to be built with this many characters (a string, a rendered map). */
  void value(long chars) {
    if (chars > budget.maxOutputChars()) {
      throw exceeded(
          "the template built a value of more than " + budget.maxOutputChars() + " characters");
    }
  }

  /**
   * Text a map or list was printed into, which Velocity may do without the template writing it
   * (comparing, adding to a string): at most 16 times the output budget in all.
   */
  void built(long chars) {
    built += chars;
    if (built > 16L * budget.maxOutputChars()) {
      throw exceeded(
          "the template printed more than "
              + 16L * budget.maxOutputChars()
              + " characters of values");
    }
    checkTime();
  }

  /**
   * Records the budget's end and gives the exception to throw. Recorded because Velocity does not
   * let every exception out of a rendering: what a method throws it may log and render as nothing.
   */
  BudgetExceeded exceeded(String message) {
    return exceeded(message, Rendered.Overrun.LIMIT);
  }

  private BudgetExceeded exceeded(String message, Rendered.Overrun overrun) {
    BudgetExceeded exceeded = new BudgetExceeded(message, overrun);
    failed(exceeded);
    return exceeded;
  }

  /** Records the first failure of the rendering (a budget's end, a method that threw). */
  void failed(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
  }

  /** The first failure, or null: a rendering with one is a failure whatever Velocity made of it. */
  Throwable failure() {
    return failure;
  }

  void checkTime() {
    if (System.nanoTime() - deadline > 0) {
      throw exceeded(
          "the template ran longer than " + budget.time().toMillis() + " ms",
          Rendered.Overrun.TIME);
    }
  }
}
