package dev.turnpike.mapping;

import java.util.Locale;
import java.util.Set;
import org.apache.velocity.runtime.parser.Token;
import org.apache.velocity.runtime.parser.node.ASTDirective;
import org.apache.velocity.runtime.parser.node.Node;

/**
 * What a template may not use, refused when it is saved rather than when it runs: {@code #include}
 * and {@code #parse} read other resources (files, on a default Velocity), and {@code #evaluate}
 * runs text built at run time as a template, out of reach of these checks.
 */
final class TemplateChecks {
  private static final Set<String> REFUSED_DIRECTIVES = Set.of("include", "parse", "evaluate");

  private TemplateChecks() {}

  static void check(Node node) {
    if (node instanceof ASTDirective directive) {
      String name = directive.getDirectiveName();
      if (name != null && REFUSED_DIRECTIVES.contains(name.toLowerCase(Locale.ROOT))) {
        // Before Velocity's init the node knows its place only through its first token, which
        // starts with the line's indentation: the column is that of the '#'.
        Token first = directive.getFirstToken();
        int indentation = 0;
        while (first != null
            && first.image != null
            && indentation < first.image.length()
            && (first.image.charAt(indentation) == ' '
                || first.image.charAt(indentation) == '\t')) {
          indentation++;
        }
        throw new TemplateSyntaxException(
            "#" + name + " is not available in mapping templates",
            first == null ? 0 : first.beginLine,
            first == null ? 0 : first.beginColumn + indentation);
      }
    }
    for (int i = 0; i < node.jjtGetNumChildren(); i++) {
      check(node.jjtGetChild(i));
    }
  }
}
