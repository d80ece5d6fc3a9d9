package dev.turnpike.mapping;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.velocity.context.InternalContextAdapter;
import org.apache.velocity.runtime.parser.node.ASTEQNode;
import org.apache.velocity.runtime.parser.node.ASTIntegerRange;
import org.apache.velocity.runtime.parser.node.ASTMap;
import org.apache.velocity.runtime.parser.node.ASTNENode;
import org.apache.velocity.runtime.parser.node.ASTObjectArray;
import org.apache.velocity.runtime.parser.node.Node;
import org.apache.velocity.runtime.parser.node.SimpleNode;

/**
 * The compiled template's nodes that make values or compare them, replaced once at compile by ours:
 * list, map and range literals make {@link Structures} (bounded to walk), and {@code ==}/{@code !=}
 * compare as API Gateway does ({@link Comparisons}). Done before Velocity initializes the tree, so
 * a compiled template is as immutable and shareable between threads as Velocity's own.
 */
final class Literals {
  private Literals() {}

  static void rewrite(Node node) {
    for (int i = 0; i < node.jjtGetNumChildren(); i++) {
      Node child = node.jjtGetChild(i);
      rewrite(child);
      SimpleNode replacement = replacement(child);
      if (replacement != null) {
        SimpleNode original = (SimpleNode) child;
        replacement.setFirstToken(original.getFirstToken());
        for (int j = 0; j < original.jjtGetNumChildren(); j++) {
          Node operand = original.jjtGetChild(j);
          replacement.jjtAddChild(operand, j);
          operand.jjtSetParent(replacement);
        }
        node.jjtAddChild(replacement, i);
        replacement.jjtSetParent(node);
      }
    }
  }

  private static SimpleNode replacement(Node node) {
    return switch (node) {
      case ListLiteral ignored -> null;
      case MapLiteral ignored -> null;
      case RangeLiteral ignored -> null;
      case Comparisons.Equals ignored -> null;
      case Comparisons.NotEquals ignored -> null;
      case ASTObjectArray list -> new ListLiteral(list);
      case ASTMap map -> new MapLiteral(map);
      case ASTIntegerRange range -> new RangeLiteral(range);
      case ASTNENode ne -> new Comparisons.NotEquals(ne);
      case ASTEQNode eq -> new Comparisons.Equals(eq);
      default -> null;
    };
  }

  static final class ListLiteral extends ASTObjectArray {
    ListLiteral(ASTObjectArray original) {
      super(original.getParser(), original.getType());
    }

    @Override
    public Object value(InternalContextAdapter context) {
      Object value = super.value(context);
      return value instanceof Collection<?> items ? new Structures.TemplateList(items) : value;
    }
  }

  static final class MapLiteral extends ASTMap {
    MapLiteral(ASTMap original) {
      super(original.getParser(), original.getType());
    }

    @Override
    public Object value(InternalContextAdapter context) {
      Object value = super.value(context);
      return value instanceof Map<?, ?> entries ? new Structures.TemplateMap(entries) : value;
    }
  }

  static final class RangeLiteral extends ASTIntegerRange {
    RangeLiteral(ASTIntegerRange original) {
      super(original.getParser(), original.getType());
    }

    @Override
    public Object value(InternalContextAdapter context) {
      Object value = super.value(context);
      if (value instanceof List<?> range && !range.isEmpty()) {
        return new Structures.TemplateRange(
            (Integer) range.get(0), (Integer) range.get(range.size() - 1));
      }
      return value;
    }
  }
}
