package dev.turnpike.mapping;

/**
 * Thrown inside a rendering when it runs past its {@link TemplateBudget}, and turned into a {@link
 * Rendered.Failed} by {@link MappingTemplate#render}: it never leaves this package.
 */
final class BudgetExceeded extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Rendered.Overrun overrun;

  BudgetExceeded(String message, Rendered.Overrun overrun) {
    // No stack trace: it is an expected outcome, and may be thrown often by a hostile template.
    super(message, null, false, false);
    this.overrun = overrun;
  }

  Rendered.Overrun overrun() {
    return overrun;
  }
}
