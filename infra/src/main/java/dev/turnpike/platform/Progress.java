package dev.turnpike.platform;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines on the console, each with the seconds since {@code up} began. */
public final class Progress {
  private final PrintStream out;
  private final long started = System.nanoTime();

  public Progress(PrintStream out) {
    this.out = out;
  }

  public void step(String message) {
    out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsedSeconds(), message);
    out.flush();
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  public void line(String text) {
    out.println(text);
    out.flush();
  }
}
