package dev.turnpike.mapping;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.velocity.util.introspection.VelMethod;

/**
 * The string methods that take a regular expression ({@code matches}, {@code replaceAll}, {@code
 * replaceFirst}, {@code split}), run so a pattern that backtracks for ever ({@code (a+)+b} on a
 * long run of {@code a}) stops at the rendering's deadline: the matcher reads the text through
 * {@link DeadlineChars}, which looks at the clock as it is read. Same results as {@link String}'s
 * own.
 */
final class GuardedRegex implements VelMethod {
  static final Set<String> METHODS = Set.of("matches", "replaceAll", "replaceFirst", "split");

  private final String name;

  private GuardedRegex(String name) {
    this.name = name;
  }

  /** The guarded method for this call, or null when it is not one of {@link #METHODS}. */
  static GuardedRegex of(String name, Object[] args) {
    if (!METHODS.contains(name) || args == null) {
      return null;
    }
    int expected = "split".equals(name) ? args.length : 2;
    boolean matches = "matches".equals(name) && args.length == 1;
    boolean split = "split".equals(name) && (args.length == 1 || args.length == 2);
    boolean replace = !matches && !split && args.length == expected;
    return matches || split || replace ? new GuardedRegex(name) : null;
  }

  @Override
  public Object invoke(Object obj, Object[] params) {
    RenderGuard guard = RenderGuard.current();
    if (guard == null) {
      throw new IllegalStateException("template methods run only inside a rendering");
    }
    try {
      return run(obj, params, guard);
    } catch (RuntimeException e) {
      guard.failed(e);
      throw e;
    }
  }

  private Object run(Object obj, Object[] params, RenderGuard guard) {
    guard.step();
    String text = String.valueOf(obj);
    Pattern pattern = Pattern.compile(String.valueOf(params[0]));
    DeadlineChars chars = new DeadlineChars(text, guard);
    return switch (name) {
      case "matches" -> pattern.matcher(chars).matches();
      case "split" -> pattern.split(chars, params.length > 1 ? ((Number) params[1]).intValue() : 0);
      default -> replace(pattern.matcher(chars), String.valueOf(params[1]), guard);
    };
  }

  private String replace(Matcher matcher, String replacement, RenderGuard guard) {
    StringBuilder out = new StringBuilder();
    boolean all = "replaceAll".equals(name);
    while (matcher.find()) {
      matcher.appendReplacement(out, replacement);
      guard.value(out.length());
      if (!all) {
        break;
      }
    }
    matcher.appendTail(out);
    guard.value(out.length());
    return out.toString();
  }

  @Override
  public boolean isCacheable() {
    return true;
  }

  @Override
  public String getMethodName() {
    return name;
  }

  @Override
  public Method getMethod() {
    try {
      return switch (name) {
        case "matches" -> String.class.getMethod("matches", String.class);
        case "split" -> String.class.getMethod("split", String.class);
        default -> String.class.getMethod(name, String.class, String.class);
      };
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Class<?> getReturnType() {
    return getMethod().getReturnType();
  }

  /** The text a matcher reads, checking the deadline every few thousand characters read. */
  static final class DeadlineChars implements CharSequence {
    private final String text;
    private final RenderGuard guard;
    private int reads;

    DeadlineChars(String text, RenderGuard guard) {
      this.text = text;
      this.guard = guard;
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 0xFFF) == 0) {
        guard.checkTime();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.substring(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
