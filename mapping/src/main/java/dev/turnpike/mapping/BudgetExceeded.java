package dev.turnpike.mapping;

/**
 * Thrown inside a rendering when it runs past its {@link TemplateBudget}, and turned into a {@link
 * Rendered.Failed} by {@link MappingTemplate#render}: it never leaves this package.
 */
final class BudgetExceeded extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BudgetExceeded(String message) {
    // No stack trace: it is an expected outcome, and may be thrown often by a hostile template.
    super(message, null, false, false);
  }
}
