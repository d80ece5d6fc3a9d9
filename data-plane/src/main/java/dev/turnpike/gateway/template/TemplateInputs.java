package dev.turnpike.gateway.template;

import dev.turnpike.gateway.integration.CallContext;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.mapping.TemplateInput;
import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** What a template sees of a call: its parameters, its $context and the stage's variables. */
public final class TemplateInputs {
  private TemplateInputs() {}

  /**
   * @param body what {@code $input.body} reads
   * @param extraContext further {@code $context} variables (e.g. {@code error.message}), or none
   */
  public static TemplateInput of(
      IntegrationCall call, String body, Map<String, String> extraContext) {
    Map<String, String> context = CallContext.variables(call);
    context.putAll(extraContext);
    return new TemplateInput(
        body,
        call.pathParameters(),
        firstValues(call.request().params(), new HashMap<>()),
        firstValues(call.request().headers(), new TreeMap<>(String.CASE_INSENSITIVE_ORDER)),
        context,
        call.stageVariables());
  }

  public static TemplateInput of(IntegrationCall call, String body) {
    return of(call, body, Map.of());
  }

  private static Map<String, String> firstValues(MultiMap values, Map<String, String> into) {
    for (String name : values.names()) {
      into.put(name, values.get(name));
    }
    return into;
  }
}
