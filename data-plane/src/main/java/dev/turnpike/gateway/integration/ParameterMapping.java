package dev.turnpike.gateway.integration;

import dev.turnpike.contracts.config.ContextVariables;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * API Gateway's request parameter mappings, e.g. {@code integration.request.header.x-user} from
 * {@code method.request.querystring.user}, parsed once per deployment. Every {@code context.X} of
 * {@link ContextVariables} maps (also written with HTTP APIs' leading {@code $}), its value from
 * {@link CallContext}, the same one templates read: the caller's identity from the route's
 * authorizer among them ({@code context.authorizer.principalId}, a JWT's claims as {@code
 * context.authorizer.claims.sub}, a Lambda authorizer's context values as {@code
 * context.authorizer.tier}). A value the call does not carry maps to nothing.
 */
public final class ParameterMapping {
  /** Where in the backend request a mapped value goes. */
  public enum Target {
    PATH,
    QUERYSTRING,
    HEADER
  }

  private enum SourceKind {
    PATH,
    QUERYSTRING,
    HEADER,
    LITERAL,
    STAGE_VARIABLE,
    CONTEXT
  }

  private static final String CONTEXT = "context.";

  /** One mapping: the target and where its value comes from. */
  public record Entry(Target target, String name, SourceKind kind, String source) {}

  private final List<Entry> entries;
  private final boolean hasPathTargets;

  private ParameterMapping(List<Entry> entries) {
    this.entries = entries;
    this.hasPathTargets = entries.stream().anyMatch(entry -> entry.target() == Target.PATH);
  }

  /**
   * @throws IllegalArgumentException naming the first mapping that is not understood
   */
  public static ParameterMapping parse(Map<String, String> mappings) {
    List<Entry> entries = new ArrayList<>();
    mappings.forEach(
        (target, source) -> {
          String[] to = target.split("\\.", 4);
          if (to.length != 4 || !to[0].equals("integration") || !to[1].equals("request")) {
            throw new IllegalArgumentException("unsupported mapping target " + target);
          }
          Target where =
              switch (to[2]) {
                case "path" -> Target.PATH;
                case "querystring" -> Target.QUERYSTRING;
                case "header" -> Target.HEADER;
                default ->
                    throw new IllegalArgumentException("unsupported mapping target " + target);
              };
          entries.add(parseSource(where, to[3], source.trim()));
        });
    return new ParameterMapping(List.copyOf(entries));
  }

  private static Entry parseSource(Target target, String name, String source) {
    if (source.length() >= 2 && source.startsWith("'") && source.endsWith("'")) {
      return new Entry(target, name, SourceKind.LITERAL, source.substring(1, source.length() - 1));
    }
    if (source.startsWith("method.request.path.")) {
      return new Entry(target, name, SourceKind.PATH, source.substring(20));
    }
    if (source.startsWith("method.request.querystring.")) {
      return new Entry(target, name, SourceKind.QUERYSTRING, source.substring(27));
    }
    if (source.startsWith("method.request.header.")) {
      return new Entry(target, name, SourceKind.HEADER, source.substring(22));
    }
    if (source.startsWith("stageVariables.")) {
      return new Entry(target, name, SourceKind.STAGE_VARIABLE, source.substring(15));
    }
    String context = source.startsWith("$") ? source.substring(1) : source;
    if (context.startsWith(CONTEXT)
        && ContextVariables.isFilled(context.substring(CONTEXT.length()))) {
      return new Entry(target, name, SourceKind.CONTEXT, context.substring(CONTEXT.length()));
    }
    throw new IllegalArgumentException(
        "unsupported mapping source "
            + source
            + " for "
            + target.name().toLowerCase(Locale.ROOT)
            + "."
            + name);
  }

  public List<Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * The values for an integration URI's path placeholders: the route's own path parameters,
   * overridden by mapped {@code integration.request.path.*} values.
   *
   * @param values by placeholder name
   * @param spanning the placeholders whose value is the route's {@code {proxy+}} and may span
   *     segments; any other value is one segment
   */
  public record PathValues(Map<String, String> values, Set<String> spanning) {}

  /** The path placeholder values of {@code call} under these mappings. */
  public PathValues pathValues(IntegrationCall call) {
    String greedy = call.greedyParameter();
    if (!hasPathTargets) {
      return new PathValues(call.pathParameters(), greedy == null ? Set.of() : Set.of(greedy));
    }
    Map<String, String> values = new HashMap<>(call.pathParameters());
    Set<String> spanning = new HashSet<>();
    if (greedy != null) {
      spanning.add(greedy);
    }
    for (Entry entry : entries) {
      if (entry.target() != Target.PATH) {
        continue;
      }
      String value = valueOf(entry, call);
      if (value != null) {
        values.put(entry.name(), value);
        if (entry.kind() == SourceKind.PATH && entry.source().equals(greedy)) {
          spanning.add(entry.name());
        } else {
          spanning.remove(entry.name());
        }
      }
    }
    return new PathValues(values, spanning);
  }

  /** The value of one mapping for this request, or null when the request does not carry it. */
  public static String valueOf(Entry entry, IntegrationCall call) {
    HttpServerRequest request = call.request();
    return switch (entry.kind()) {
      case PATH -> call.pathParameters().get(entry.source());
      case QUERYSTRING -> request.getParam(entry.source());
      case HEADER -> request.getHeader(entry.source());
      case LITERAL -> entry.source();
      case STAGE_VARIABLE -> call.stageVariables().get(entry.source());
      case CONTEXT -> CallContext.value(call, entry.source());
    };
  }
}
