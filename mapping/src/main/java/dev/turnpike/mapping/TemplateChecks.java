package dev.turnpike.mapping;

import java.util.Locale;
import java.util.Set;
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
        throw new TemplateSyntaxException(
            "#" + name + " is not available in mapping templates",
            directive.getLine(),
            directive.getColumn());
      }
    }
    for (int i = 0; i < node.jjtGetNumChildren(); i++) {
      check(node.jjtGetChild(i));
    }
  }
}
