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
      throw new BudgetExceeded("the template took more than " + budget.maxSteps() + " steps");
    }
    checkTime();
  }

  /** Characters about to be written to the output. */
  void write(int chars) {
    written += chars;
    if (written > budget.maxOutputChars()) {
      throw new BudgetExceeded(
          "the template wrote more than " + budget.maxOutputChars() + " characters");
    }
    checkTime();
  }

  /** A value about to be built with this many characters (a string, a rendered map). */
  void value(long chars) {
    if (chars > budget.maxOutputChars()) {
      throw new BudgetExceeded(
          "the template built a value of more than " + budget.maxOutputChars() + " characters");
    }
  }

  void checkTime() {
    if (System.nanoTime() - deadline > 0) {
      throw new BudgetExceeded("the template ran longer than " + budget.time().toMillis() + " ms");
    }
  }
}
