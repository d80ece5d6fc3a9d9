package dev.turnpike.gateway.integration;

import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.routing.PathSafety;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An integration URI such as {@code http://${stageVariables.host}/pets/{petId}}, parsed once per
 * deployment so that each request only concatenates. Path placeholders are filled percent-encoded,
 * one segment each (a greedy value keeps its slashes), and never as a dot segment; stage variables
 * are inserted as configured, since owners use them for hosts and whole path prefixes.
 */
public final class UriTemplate {
  private sealed interface Part permits Literal, PathParameter, StageVariable {}

  private record Literal(String text) implements Part {}

  private record PathParameter(String name) implements Part {}

  private record StageVariable(String name) implements Part {}

  private final String source;
  private final List<Part> parts;
  private final boolean hasQuery;

  private UriTemplate(String source, List<Part> parts) {
    this.source = source;
    this.parts = parts;
    this.hasQuery = source.indexOf('?') >= 0;
  }

  /**
   * @throws IllegalArgumentException for an unclosed placeholder, naming the URI
   */
  public static UriTemplate parse(String uri) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < uri.length()) {
      char c = uri.charAt(i);
      if (c == '$' && uri.startsWith("${stageVariables.", i)) {
        int end = uri.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed ${stageVariables...} in " + uri);
        }
        flush(literal, parts);
        parts.add(new StageVariable(uri.substring(i + "${stageVariables.".length(), end)));
        i = end + 1;
      } else if (c == '{') {
        int end = uri.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed {placeholder} in " + uri);
        }
        flush(literal, parts);
        String name = uri.substring(i + 1, end);
        parts.add(
            new PathParameter(name.endsWith("+") ? name.substring(0, name.length() - 1) : name));
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    flush(literal, parts);
    return new UriTemplate(uri, List.copyOf(parts));
  }

  private static void flush(StringBuilder literal, List<Part> parts) {
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString()));
      literal.setLength(0);
    }
  }

  public boolean hasQuery() {
    return hasQuery;
  }

  /** The names of the path placeholders, for validating mappings when a deployment is loaded. */
  public List<String> pathParameterNames() {
    return parts.stream()
        .filter(PathParameter.class::isInstance)
        .map(p -> ((PathParameter) p).name())
        .toList();
  }

  /**
   * Fills the template. Each path value becomes exactly one segment, its '/' encoded as {@code
   * %2F}, except those named in {@code spanning} (a {@code {proxy+}} value), whose '/'s stay
   * separators.
   *
   * @throws GatewayFailure 400 when a value would put a dot segment or a control character into the
   *     backend path: the client's doing
   * @throws IllegalArgumentException when a placeholder has no value: a configuration error
   */
  public String expand(
      Map<String, String> pathValues, Set<String> spanning, Map<String, String> stageVariables) {
    StringBuilder uri = new StringBuilder(source.length() + 32);
    for (Part part : parts) {
      switch (part) {
        case Literal literal -> uri.append(literal.text());
        case PathParameter parameter -> {
          String value = pathValues.get(parameter.name());
          if (value == null) {
            throw new IllegalArgumentException("no value for {" + parameter.name() + "}");
          }
          String problem = PathSafety.valueProblem(value);
          if (problem != null) {
            throw new GatewayFailure(GatewayResponseType.BAD_REQUEST_PARAMETERS, problem);
          }
          appendPathEncoded(uri, value, spanning.contains(parameter.name()));
        }
        case StageVariable variable -> {
          String value = stageVariables.get(variable.name());
          if (value == null) {
            throw new IllegalArgumentException("stage variable " + variable.name() + " is not set");
          }
          uri.append(value);
        }
      }
    }
    return uri.toString();
  }

  private static void appendPathEncoded(StringBuilder uri, String value, boolean keepSlashes) {
    if (!keepSlashes) {
      appendSegmentEncoded(uri, value);
      return;
    }
    int start = 0;
    while (true) {
      int slash = value.indexOf('/', start);
      appendSegmentEncoded(uri, slash < 0 ? value.substring(start) : value.substring(start, slash));
      if (slash < 0) {
        return;
      }
      uri.append('/');
      start = slash + 1;
    }
  }

  /** Form encoding, with a space as {@code %20}: it encodes '/', '\', ';' and '%' too. */
  private static void appendSegmentEncoded(StringBuilder uri, String segment) {
    uri.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  @Override
  public String toString() {
    return source;
  }
}
