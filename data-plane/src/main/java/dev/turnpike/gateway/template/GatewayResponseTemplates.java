package dev.turnpike.gateway.template;

import dev.turnpike.contracts.config.ContextVariables;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.gateway.integration.CallContext;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.response.GatewayResponses;
import dev.turnpike.mapping.MappingTemplate;
import dev.turnpike.mapping.Rendered;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage's gateway responses with templates or parameter mappings ({@code
 * x-amazon-apigateway-gateway-responses}' {@code responseTemplates} and {@code
 * responseParameters}), compiled once per deployment: the template for the client's type (as
 * integration responses choose it) renders with {@code $context.error.message}, {@code
 * .messageString} and {@code .responseType} besides the call's variables, on the template pool;
 * {@code gatewayresponse.header.X} takes {@code method.request.header|querystring|path.Y}, {@code
 * stageVariables.Y}, {@code context.Y} or a {@code 'literal'}. A template that does not compile, or
 * fails on a call, leaves the type's literal answer in place (logged): a gateway response is the
 * answer to a failure already, and must not fail itself.
 */
public final class GatewayResponseTemplates {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayResponseTemplates.class);

  public static final GatewayResponseTemplates NONE =
      new GatewayResponseTemplates(new EnumMap<>(GatewayResponseType.class), null);

  private record Parameter(String header, String kind, String source) {}

  private record Compiled(Map<String, MappingTemplate> templates, List<Parameter> parameters) {}

  private final EnumMap<GatewayResponseType, Compiled> byType;
  private final TemplateRenderer renderer;

  private GatewayResponseTemplates(
      EnumMap<GatewayResponseType, Compiled> byType, TemplateRenderer renderer) {
    this.byType = byType;
    this.renderer = renderer;
  }

  /**
   * @param deploymentId for the log line of a template that does not compile
   */
  public static GatewayResponseTemplates compile(
      Map<String, GatewayResponseConfig> overrides,
      TemplateRenderer renderer,
      String deploymentId) {
    EnumMap<GatewayResponseType, Compiled> byType = new EnumMap<>(GatewayResponseType.class);
    Map<String, Compiled> compiledByName = new HashMap<>();
    for (GatewayResponseType type : GatewayResponseType.values()) {
      String name = type.name();
      GatewayResponseConfig override = overrides.get(name);
      if (override == null) {
        name = type.defaultStatus() < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX";
        override = overrides.get(name);
      }
      if (override == null
          || (override.responseTemplates().isEmpty() && override.responseParameters().isEmpty())) {
        continue;
      }
      GatewayResponseConfig config = override;
      String key = name;
      Compiled compiled =
          compiledByName.computeIfAbsent(key, ignored -> compileOne(key, config, deploymentId));
      if (compiled != null) {
        byType.put(type, compiled);
      }
    }
    return byType.isEmpty() ? NONE : new GatewayResponseTemplates(byType, renderer);
  }

  private static Compiled compileOne(
      String name, GatewayResponseConfig config, String deploymentId) {
    try {
      return new Compiled(
          CompiledTemplates.compile(config.responseTemplates(), "gateway response template"),
          parameters(config.responseParameters()));
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "gateway response {} of deployment {} answers its literal body until fixed: {}",
          name,
          deploymentId,
          e.getMessage());
      return null;
    }
  }

  private static List<Parameter> parameters(Map<String, String> mappings) {
    List<Parameter> parameters = new ArrayList<>();
    mappings.forEach(
        (target, rawSource) -> {
          String prefix = "gatewayresponse.header.";
          if (!target.startsWith(prefix) || target.length() == prefix.length()) {
            throw new IllegalArgumentException("unsupported gateway response parameter " + target);
          }
          String header = target.substring(prefix.length());
          String source = rawSource == null ? "" : rawSource.trim();
          Parameter parameter = null;
          if (source.length() >= 2 && source.startsWith("'") && source.endsWith("'")) {
            parameter = new Parameter(header, "literal", source.substring(1, source.length() - 1));
          } else {
            for (String kind :
                List.of(
                    "method.request.header.",
                    "method.request.querystring.",
                    "method.request.path.",
                    "stageVariables.",
                    "context.")) {
              if (source.startsWith(kind) && source.length() > kind.length()) {
                parameter = new Parameter(header, kind, source.substring(kind.length()));
              }
            }
          }
          if (parameter == null
              || (parameter.kind().equals("context.")
                  && !ContextVariables.isFilled(parameter.source()))) {
            throw new IllegalArgumentException(
                "unsupported source " + rawSource + " for gateway response parameter " + target);
          }
          parameters.add(parameter);
        });
    return List.copyOf(parameters);
  }

  /** Whether {@code type}'s answer needs {@link #send}: it has templates or parameters. */
  public boolean applies(GatewayResponseType type) {
    return byType.containsKey(type);
  }

  /**
   * Sends {@code failure}'s answer for {@code call}; completes with the status sent, on the
   * caller's event loop.
   */
  public Future<Integer> send(
      GatewayResponses responses,
      HttpServerResponse response,
      GatewayFailure failure,
      IntegrationCall call) {
    Compiled compiled = byType.get(failure.type());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (Parameter parameter : compiled.parameters()) {
      HeaderValues.set(headers, parameter.header(), value(parameter, call));
    }
    Map<String, String> plain = new HashMap<>();
    headers.forEach(plain::put);
    String type =
        ResponseMapping.templateType(compiled.templates(), call.request().getHeader("accept"));
    if (type == null) {
      return Future.succeededFuture(responses.sendWithHeaders(response, failure, plain));
    }
    String message = failure.getMessage();
    Map<String, String> error =
        Map.of(
            "error.message", message,
            "error.messageString", GatewayResponses.messageString(message),
            "error.responseType", failure.type().name());
    return renderer
        .render(compiled.templates().get(type), TemplateInputs.of(call, "", error))
        .map(
            rendered ->
                switch (rendered) {
                  case Rendered.Text text -> {
                    text.headerOverrides()
                        .forEach(
                            (name, value) -> {
                              MultiMap checked = MultiMap.caseInsensitiveMultiMap();
                              HeaderValues.set(checked, name, value);
                              checked.forEach(plain::put);
                            });
                    Integer status = text.statusOverride();
                    yield responses.sendRendered(
                        response,
                        failure,
                        status != null && status >= 100 && status <= 599 ? status : null,
                        type,
                        plain,
                        Buffer.buffer(text.text()));
                  }
                  case Rendered.Failed failed -> {
                    call.log()
                        .run(
                            () ->
                                LOG.warn(
                                    "gateway response template for {} failed, request {}: {}",
                                    failure.type(),
                                    call.requestId(),
                                    failed.reason()));
                    yield responses.sendWithHeaders(response, failure, plain);
                  }
                });
  }

  private static String value(Parameter parameter, IntegrationCall call) {
    return switch (parameter.kind()) {
      case "literal" -> parameter.source();
      case "method.request.header." -> call.request().getHeader(parameter.source());
      case "method.request.querystring." -> call.request().getParam(parameter.source());
      case "method.request.path." -> call.pathParameters().get(parameter.source());
      case "stageVariables." -> call.stageVariables().get(parameter.source());
      default -> CallContext.value(call, parameter.source());
    };
  }
}
