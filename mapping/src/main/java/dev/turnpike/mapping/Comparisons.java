package dev.turnpike.mapping;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.apache.velocity.runtime.parser.node.ASTEQNode;
import org.apache.velocity.runtime.parser.node.ASTNENode;

/**
 * {@code ==} and {@code !=} as API Gateway evaluates them, put in place of Velocity's own when a
 * template is compiled ({@link Literals}).
 *
 * <p>Two differences. A value that is not there equals the empty string: on API Gateway {@code
 * #if($input.path('$.missing') == "")} is true (LocalStack's AWS-validated snapshot {@code
 * test_input_path_template_formatting} records {@code "isEmptyString": "true"}), where Velocity 2
 * says false. And maps and lists compare element by element within the rendering's budget, each
 * element a step, because Java's {@code equals} on a structure a loop nested in itself takes
 * exponential time that no deadline can interrupt.
 */
final class Comparisons {
  private Comparisons() {}

  static boolean nullEquals(Object left, Object right) {
    return left == right || isEmptyText(left) || isEmptyText(right);
  }

  private static boolean isEmptyText(Object value) {
    return value instanceof CharSequence text && text.isEmpty();
  }

  /** Element by element, each a step of the rendering's budget. */
  static boolean deepEquals(Object left, Object right, RenderGuard guard, int depth) {
    guard.step();
    if (depth > JsonSupport.MAX_DEPTH) {
      throw guard.exceeded("the template compared values nested too deeply");
    }
    if (left == right) {
      return true;
    }
    if (left instanceof CharSequence || right instanceof CharSequence) {
      // Velocity compares values of unrelated classes by their text: {a=1} == "{a=1}".
      return left != null
          && right != null
          && VtlText.of(left, guard).equals(VtlText.of(right, guard));
    }
    if (left instanceof Map<?, ?> a && right instanceof Map<?, ?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<?, ?> entry : a.entrySet()) {
        if (!b.containsKey(entry.getKey())
            || !deepEquals(entry.getValue(), b.get(entry.getKey()), guard, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (left instanceof Collection<?> a && right instanceof Collection<?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<?> i = a.iterator();
      Iterator<?> j = b.iterator();
      while (i.hasNext()) {
        if (!deepEquals(i.next(), j.next(), guard, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(left, right);
  }

  private static boolean isStructure(Object value) {
    return value instanceof Map<?, ?> || value instanceof Collection<?>;
  }

  private static RenderGuard guard() {
    RenderGuard guard = RenderGuard.current();
    if (guard == null) {
      throw new IllegalStateException("templates compare values only inside a rendering");
    }
    return guard;
  }

  static final class Equals extends ASTEQNode {
    Equals(ASTEQNode original) {
      super(original.getParser(), original.getType());
    }

    @Override
    public boolean compareNull(Object left, Object right) {
      return nullEquals(left, right);
    }

    @Override
    public boolean compareNonNumber(Object left, Object right) {
      if (isStructure(left) || isStructure(right)) {
        return deepEquals(left, right, guard(), 0);
      }
      return super.compareNonNumber(left, right);
    }
  }

  static final class NotEquals extends ASTNENode {
    NotEquals(ASTNENode original) {
      super(original.getParser(), original.getType());
    }

    // Velocity's != is the negation of its ==: these answer "equal", and evaluate negates.
    @Override
    public boolean compareNull(Object left, Object right) {
      return nullEquals(left, right);
    }

    @Override
    public boolean compareNonNumber(Object left, Object right) {
      if (isStructure(left) || isStructure(right)) {
        return deepEquals(left, right, guard(), 0);
      }
      return super.compareNonNumber(left, right);
    }
  }
}
