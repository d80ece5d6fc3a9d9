package dev.turnpike.mapping;

/**
 * A template that does not parse, or uses what templates may not (a file include, a Java class):
 * the message names the problem, {@link #line()} and {@link #column()} point at it (1-based; 0 when
 * the problem has no place).
 */
public final class TemplateSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  public TemplateSyntaxException(String message, int line, int column) {
    super(message);
    this.line = line;
    this.column = column;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
