package dev.turnpike.controlplane.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.ResponseParameterMapping;
import dev.turnpike.contracts.config.TemplateRules;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.mapping.MappingTemplate;
import dev.turnpike.mapping.Rendered;
import dev.turnpike.mapping.TemplateBudget;
import dev.turnpike.mapping.TemplateInput;
import dev.turnpike.mapping.TemplateSyntaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an integration's mapping would make of a sample request, without calling any backend: which
 * request template its Content-Type picks and that template's output (or the passthrough decision,
 * 415 included), then which integration response the pretended backend status (or a mock's {@code
 * statusCode}) selects, its template's output and the headers it maps. Templates render within a
 * {@link TemplateBudget}, on the caller's thread: call it from a worker, never an event loop.
 */
public final class TestInvocation {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MAPPED = Set.of("http", "mock", "aws");

  /**
   * A sample request and what the backend is pretended to answer.
   *
   * @param status the backend status to pretend (200 when absent); a mock's comes from its request
   *     template's {@code statusCode}
   * @param backendBody what the backend is pretended to answer, "" when absent
   */
  public record SampleRequest(
      String method,
      String path,
      Map<String, String> pathParameters,
      Map<String, String> query,
      Map<String, String> headers,
      String body,
      Map<String, String> stageVariables,
      Integer status,
      Map<String, String> backendHeaders,
      String backendBody) {
    public SampleRequest {
      method = method == null || method.isBlank() ? "GET" : method;
      path = path == null || path.isBlank() ? "/" : path;
      pathParameters = pathParameters == null ? Map.of() : pathParameters;
      query = query == null ? Map.of() : query;
      headers = headers == null ? Map.of() : headers;
      body = body == null ? "" : body;
      stageVariables = stageVariables == null ? Map.of() : stageVariables;
      backendHeaders = backendHeaders == null ? Map.of() : backendHeaders;
      backendBody = backendBody == null ? "" : backendBody;
    }
  }

  /**
   * The request side.
   *
   * @param decision {@code template}, {@code passthrough} or {@code unsupported} (answered 415)
   * @param contentType the type that picked, {@code application/json} for a request without one
   * @param template the chosen template's type, with {@code decision} {@code template}
   * @param output the integration request's body: the template's output or the body as it came
   * @param failure why the template could not finish (the gateway answers 500)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestSide(
      String decision,
      String contentType,
      String template,
      Integer status,
      String output,
      String failure) {}

  /**
   * The response side.
   *
   * @param backendStatus the status the selection patterns were matched against
   * @param selected the index in {@code integrationResponses} of the chosen response; null when
   *     none matched and there is no default, or the integration has none
   * @param passthrough whether the backend's answer passes through as it is (no integration
   *     responses)
   * @param template the chosen response template's type; null when the body passes through
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResponseSide(
      String backendStatus,
      Integer selected,
      String selectionPattern,
      Boolean passthrough,
      Integer statusCode,
      Map<String, String> headers,
      String template,
      String body,
      String failure) {}

  /** The outcome: the response side is absent when the request side refused or failed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Result(RequestSide request, ResponseSide response) {}

  private final TemplateBudget budget;

  public TestInvocation(TemplateBudget budget) {
    this.budget = budget;
  }

  public Result run(Integration integration, SampleRequest sample) {
    if (!MAPPED.contains(integration.type())) {
      throw ApiFailure.invalid(
          "/type",
          "a test invocation shows what mapping templates do; a "
              + integration.type()
              + " integration passes the request and the response through");
    }
    if (sample.status() != null && (sample.status() < 100 || sample.status() > 599)) {
      throw ApiFailure.invalid("/status", "must be 100..599");
    }
    RequestSide request = request(integration, sample);
    if (request.failure() != null || request.status() != null) {
      return new Result(request, null);
    }
    return new Result(request, response(integration, sample, request.output()));
  }

  private RequestSide request(Integration integration, SampleRequest sample) {
    TemplateRules.RequestChoice choice =
        TemplateRules.requestTemplate(
            integration.requestTemplates().keySet(),
            integration.passthroughBehavior(),
            header(sample.headers(), "content-type"));
    return switch (choice.decision()) {
      case PASS_THROUGH ->
          new RequestSide("passthrough", choice.type(), null, null, sample.body(), null);
      case UNSUPPORTED -> new RequestSide("unsupported", choice.type(), null, 415, null, null);
      case RENDER -> {
        Rendered rendered =
            render(integration.requestTemplates().get(choice.type()), input(sample, sample.body()));
        yield switch (rendered) {
          case Rendered.Text text ->
              new RequestSide("template", choice.type(), choice.type(), null, text.text(), null);
          case Rendered.Failed failed ->
              new RequestSide(
                  "template", choice.type(), choice.type(), null, null, failed.reason());
        };
      }
    };
  }

  private ResponseSide response(Integration integration, SampleRequest sample, String mapped) {
    boolean mock = integration.type().equals("mock");
    List<IntegrationResponse> responses = integration.integrationResponses();
    if (responses.isEmpty()) {
      MockResponse fixed = integration.mock();
      if (mock && fixed != null) {
        return new ResponseSide(
            null, null, null, null, fixed.statusCode(), fixed.headers(), null, fixed.body(), null);
      }
      int status = mock ? statusCode(mapped) : status(sample);
      return new ResponseSide(
          Integer.toString(status),
          null,
          null,
          true,
          status,
          Map.of(),
          null,
          mock ? "" : sample.backendBody(),
          null);
    }
    String selector;
    if (mock) {
      selector = Integer.toString(statusCode(mapped));
    } else if (integration.type().equals("aws")) {
      selector = errorMessage(sample.backendBody());
    } else {
      selector = Integer.toString(status(sample));
    }
    int index = select(responses, selector);
    if (index < 0) {
      return new ResponseSide(
          selector,
          null,
          null,
          null,
          500,
          Map.of(),
          null,
          null,
          "no integration response matches "
              + (selector == null ? "a function answer without error" : "'" + selector + "'")
              + " and there is no default one: the gateway answers 500");
    }
    IntegrationResponse chosen = responses.get(index);
    String backendBody = mock ? "" : sample.backendBody();
    Map<String, String> backendHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    backendHeaders.putAll(sample.backendHeaders());
    Map<String, String> headers = new LinkedHashMap<>();
    // Saved mappings were validated by the same rule; parse refuses nothing that was saved.
    ResponseParameterMapping.parse(chosen.responseParameters())
        .apply(
            backendHeaders::get, () -> backendBody.getBytes(StandardCharsets.UTF_8), headers::put);
    String type = responseType(chosen.responseTemplates(), header(sample.headers(), "accept"));
    if (type == null) {
      return new ResponseSide(
          selector,
          index,
          chosen.selectionPattern(),
          null,
          chosen.statusCode(),
          headers,
          null,
          backendBody,
          null);
    }
    Rendered rendered = render(chosen.responseTemplates().get(type), input(sample, backendBody));
    return switch (rendered) {
      case Rendered.Text text -> {
        int status =
            text.statusOverride() != null
                    && text.statusOverride() >= 100
                    && text.statusOverride() <= 599
                ? text.statusOverride()
                : chosen.statusCode();
        headers.putIfAbsent("Content-Type", type);
        headers.putAll(text.headerOverrides());
        yield new ResponseSide(
            selector,
            index,
            chosen.selectionPattern(),
            null,
            status,
            headers,
            type,
            text.text(),
            null);
      }
      case Rendered.Failed failed ->
          new ResponseSide(
              selector,
              index,
              chosen.selectionPattern(),
              null,
              500,
              headers,
              type,
              null,
              failed.reason());
    };
  }

  private Rendered render(String source, TemplateInput input) {
    MappingTemplate template;
    try {
      template = MappingTemplate.compile(source);
    } catch (TemplateSyntaxException e) {
      // Saved templates compile; this guards against a stored one an older check let through.
      return new Rendered.Failed(e.getMessage());
    }
    return template.render(input, budget);
  }

  private static TemplateInput input(SampleRequest sample, String body) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(sample.headers());
    Map<String, String> context = new LinkedHashMap<>();
    context.put("httpMethod", sample.method().toUpperCase(java.util.Locale.ROOT));
    context.put("path", sample.path());
    context.put("resourcePath", sample.path());
    context.put("requestId", "test-invocation");
    context.put("stage", "test-invoke-stage");
    return new TemplateInput(
        body, sample.pathParameters(), sample.query(), headers, context, sample.stageVariables());
  }

  private static int status(SampleRequest sample) {
    return sample.status() == null ? 200 : sample.status();
  }

  /** A mock's integration request body's {@code statusCode} ({@link TemplateRules}' rule). */
  static int statusCode(String body) {
    return TemplateRules.mockStatus(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  /** A function answer's {@code errorMessage}; null for an answer without error. */
  private static String errorMessage(String body) {
    try {
      JsonNode message = JSON.readTree(body).get("errorMessage");
      return message == null || message.isNull() ? null : message.asText();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The selected response's index ({@link TemplateRules}' rule); -1 for none. */
  private static int select(List<IntegrationResponse> responses, String selector) {
    return TemplateRules.selectResponse(responses, selector);
  }

  private static String responseType(Map<String, String> templates, String accept) {
    return TemplateRules.responseTemplate(templates.keySet(), accept);
  }

  private static String header(Map<String, String> headers, String name) {
    for (Map.Entry<String, String> entry : headers.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        return entry.getValue();
      }
    }
    return null;
  }
}
