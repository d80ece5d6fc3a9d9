package dev.turnpike.mapping;

import java.io.Writer;

/** The rendering's output: counts what the template writes against its budget. */
final class BoundedWriter extends Writer {
  private final StringBuilder out = new StringBuilder();
  private final RenderGuard guard;

  BoundedWriter(RenderGuard guard) {
    this.guard = guard;
  }

  @Override
  public void write(char[] chars, int offset, int length) {
    guard.write(length);
    out.append(chars, offset, length);
  }

  @Override
  public void write(String text, int offset, int length) {
    guard.write(length);
    out.append(text, offset, offset + length);
  }

  @Override
  public void write(int c) {
    guard.write(1);
    out.append((char) c);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  String text() {
    return out.toString();
  }
}
