package dev.turnpike.controlplane.function;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's naming rules, and how an integration's Lambda ARN names a function. A name is 1 to 64
 * letters, digits, hyphens and underscores; a qualifier (an alias, or a version number) is 1 to 128
 * of the same. A reference in an integration may hold {@code ${stageVariables.x}} anywhere in the
 * name or qualifier, as API Gateway allows, and is resolved at deployment.
 */
public final class FunctionNames {
  /** The qualifier Lambda gives the unpublished version: the same as no qualifier. */
  public static final String LATEST = "$LATEST";

  public static final String NAME_RULE =
      "must be a Lambda function name (1 to 64 letters, digits, '-' or '_'), optionally followed"
          + " by ':' and an alias or version (1 to 128 of the same)";

  private static final String VARIABLE = "\\$\\{stageVariables\\.[A-Za-z0-9_]{1,64}}";
  private static final Pattern REGISTERED =
      Pattern.compile("^[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_-]{1,128})?$");
  private static final Pattern REFERENCE =
      Pattern.compile(
          "^([A-Za-z0-9_-]|" + VARIABLE + ")+(:(\\$LATEST|([A-Za-z0-9_-]|" + VARIABLE + ")+))?$");
  private static final Pattern VARIABLES =
      Pattern.compile("\\$\\{stageVariables\\.([A-Za-z0-9_]+)}");

  /**
   * A function ARN, alone (as HTTP API exports write it) or inside API Gateway's invocation URI
   * {@code arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations}. The
   * region and account are not checked: they name where the function ran in AWS, not here.
   */
  private static final Pattern FUNCTION_ARN =
      Pattern.compile("^arn:aws[A-Za-z-]*:lambda:[^:/]*:[^:/]*:function:([^/]+)$");

  private static final Pattern INVOCATION_URI =
      Pattern.compile(
          "^arn:aws[A-Za-z-]*:apigateway:[^:/]*:lambda:path/2015-03-31/functions/(.+)/invocations$");

  private FunctionNames() {}

  /** Whether {@code name} may be registered. */
  public static boolean isRegistrable(String name) {
    return name != null && REGISTERED.matcher(name).matches();
  }

  /** Whether {@code reference} may name a function in an integration. */
  public static boolean isReference(String reference) {
    return reference != null && reference.length() <= 256 && REFERENCE.matcher(reference).matches();
  }

  /** Whether a reference waits for a stage's variables. */
  public static boolean hasVariables(String reference) {
    return VARIABLES.matcher(reference).find();
  }

  /**
   * The function reference an integration URI names ({@code orders}, {@code orders:live}, {@code
   * orders:${stageVariables.alias}}), or null when it is not a Lambda invocation URI or function
   * ARN.
   */
  public static String fromUri(String uri) {
    if (uri == null) {
      return null;
    }
    Matcher invocation = INVOCATION_URI.matcher(uri);
    String arn = invocation.matches() ? invocation.group(1) : uri;
    Matcher function = FUNCTION_ARN.matcher(arn);
    if (!function.matches()) {
      return null;
    }
    String reference = function.group(1);
    return isReference(reference) ? reference : null;
  }

  /**
   * The invocation URI API Gateway gives a function, for exporting an integration that was made by
   * naming its function. Turnpike knows no region or account, so the export says {@code us-east-1}
   * and {@code 000000000000}; importing it back names the same function.
   */
  public static String invocationUri(String reference) {
    return "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
        + "arn:aws:lambda:us-east-1:000000000000:function:"
        + reference
        + "/invocations";
  }

  /** What a reference becomes with a stage's variables, or why it cannot. */
  public sealed interface Substitution {
    record Resolved(String name) implements Substitution {}

    record Unresolved(String reason) implements Substitution {}
  }

  /**
   * Fills in the stage variables and applies Lambda's rule for {@code $LATEST} (the unqualified
   * function).
   */
  public static Substitution substitute(
      String reference, java.util.Map<String, String> variables, String stageName) {
    Matcher m = VARIABLES.matcher(reference);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        return new Substitution.Unresolved(
            "names stage variable " + m.group(1) + ", which stage " + stageName + " does not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    String name = withoutLatest(out.toString());
    if (!isRegistrable(name)) {
      return new Substitution.Unresolved(
          "resolves to '"
              + name
              + "' with stage "
              + stageName
              + "'s variables, "
              + "which "
              + NAME_RULE);
    }
    return new Substitution.Resolved(name);
  }

  /** A reference qualified by {@code $LATEST} names the function itself, as in Lambda. */
  public static String withoutLatest(String reference) {
    String latest = ":" + LATEST;
    return reference.endsWith(latest)
        ? reference.substring(0, reference.length() - latest.length())
        : reference;
  }

  /** The unqualified name of a resolved one: {@code orders} for {@code orders:live}. */
  public static String unqualified(String name) {
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }
}
