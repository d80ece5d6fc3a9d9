package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Integrations;
import dev.turnpike.controlplane.api.TestInvocation;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.KeyedRows;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import dev.turnpike.mapping.TemplateBudget;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Editing one integration: its backend, mock response or function (an {@code aws_proxy} integration
 * invokes one of the tenant's registered functions with payload format 1.0 or 2.0), timeouts, the
 * mock's headers and the request parameter mappings, each table as rows of which blank ones are
 * ignored; its request templates (one per Content-Type), passthrough behaviour and content
 * handling; its integration responses ({@link IntegrationResponseRows}); TLS to an http backend
 * ({@link IntegrationTlsFields}); an {@code aws} integration's function, invoked with the request
 * template's output as its payload; and a test panel that shows what the saved integration's
 * mapping makes of a sample request (the management API's test invocation).
 */
final class IntegrationEditPage {
  static final String AWS_PROXY = "aws_proxy";
  static final String AWS = "aws";
  static final List<String> PAYLOAD_FORMAT_VERSIONS = List.of("1.0", "2.0");

  private static final KeyedRows PARAMETERS =
      new KeyedRows("rp", "target", "/requestParameters", List.of("target", "source"), List.of());
  private static final KeyedRows MOCK_HEADERS =
      new KeyedRows("mh", "name", "/mock/headers", List.of("name", "value"), List.of());
  private static final KeyedRows REQUEST_TEMPLATES =
      new KeyedRows(
          "rt", "contentType", "/requestTemplates", List.of("contentType", "template"), List.of());
  static final List<String> PASSTHROUGH_BEHAVIORS =
      List.of("when_no_match", "when_no_templates", "never");
  static final String JSON = "application/json";

  /** The test panel's fields and the defaults an empty panel shows. */
  private static final Map<String, String> SAMPLE_DEFAULTS =
      Map.of(
          "testMethod", "POST",
          "testPath", "/",
          "testHeaders", "Content-Type: application/json",
          "testBody", "{}",
          "testStatus", "200");

  private final Pages pages;
  private final UseCases u;
  private final TestInvocation testInvocation = new TestInvocation(TemplateBudget.DEFAULT);

  IntegrationEditPage(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  void mount(Router router) {
    router
        .get(ApiPages.API + "/integrations/:integrationId")
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              UUID id = Pages.id(ctx, "integrationId", "Integration");
              pages.inTenant(ctx, READ, tx -> integrationForm(tx, apiId, id, null));
            });
    router.post(ApiPages.API + "/integrations/:integrationId").handler(this::updateIntegration);
    router.post(ApiPages.API + "/integrations/:integrationId/test").handler(this::test);
  }

  /**
   * The test panel: the saved integration is read in one short transaction, its templates render
   * outside any (they may take their whole budget and need no connection), and the page is shown
   * again with the result.
   */
  private void test(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID id = Pages.id(ctx, "integrationId", "Integration");
    Caller caller = Pages.requireCaller(ctx);
    UUID tenantId = Pages.id(ctx, "tenantId", "Tenant");
    FormInput in = new FormInput(ctx.request().formAttributes());
    Map<String, String> sample = new LinkedHashMap<>();
    SAMPLE_DEFAULTS.keySet().forEach(k -> sample.put(k, raw(in, k)));
    for (String k : List.of("testQuery", "testStageVariables", "testBackendBody")) {
      sample.put(k, raw(in, k));
    }
    pages.show(
        ctx,
        () -> {
          Integration integration =
              pages
                  .transactor()
                  .inTenant(caller, tenantId, READ, tx -> u.integrations().get(tx, apiId, id));
          Object result;
          String problem = null;
          try {
            result = testInvocation.run(integration, sampleRequest(sample));
          } catch (ApiFailure failure) {
            result = null;
            problem =
                failure.errors().isEmpty()
                    ? failure.detail()
                    : failure.errors().getFirst().pointer()
                        + " "
                        + failure.errors().getFirst().message();
          }
          Object shown = result;
          String refused = problem;
          return pages
              .transactor()
              .inTenant(
                  caller,
                  tenantId,
                  READ,
                  tx ->
                      pages.withTenant(
                          tx,
                          t ->
                              integrationForm(t, apiId, id, null)
                                  .with("sample", sample)
                                  .with("testResult", shown)
                                  .with("testProblem", refused)));
        });
  }

  private static String raw(FormInput in, String name) {
    List<String> values = in.all(name);
    return values.isEmpty() ? "" : values.getFirst().replace("\r\n", "\n");
  }

  /** The panel's fields as the management API's sample request. */
  private static TestInvocation.SampleRequest sampleRequest(Map<String, String> sample) {
    Integer status;
    String statusText = sample.get("testStatus").trim();
    try {
      status = statusText.isEmpty() ? null : Integer.valueOf(statusText);
    } catch (NumberFormatException e) {
      throw ApiFailure.invalid("/status", "must be a whole number, 100..599");
    }
    return new TestInvocation.SampleRequest(
        sample.get("testMethod").trim(),
        sample.get("testPath").trim(),
        Map.of(),
        lines(sample.get("testQuery"), '='),
        lines(sample.get("testHeaders"), ':'),
        sample.get("testBody"),
        lines(sample.get("testStageVariables"), '='),
        status,
        Map.of(),
        sample.get("testBackendBody"));
  }

  /** {@code name=value} (or {@code Name: value}) lines as a map; blank lines are skipped. */
  static Map<String, String> lines(String text, char separator) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int at = line.indexOf(separator);
      String name = (at < 0 ? line : line.substring(0, at)).trim();
      if (!name.isEmpty()) {
        values.put(name, at < 0 ? "" : line.substring(at + 1).trim());
      }
    }
    return values;
  }

  private void updateIntegration(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID id = Pages.id(ctx, "integrationId", "Integration");
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          Integration before = u.integrations().get(tx, apiId, id);
          Map<String, String> parameters =
              PARAMETERS.wasSent(in) ? parameters(in) : before.requestParameters();
          Map<String, String> mockHeaders =
              MOCK_HEADERS.wasSent(in)
                  ? mockHeaders(in)
                  : before.mock() == null ? Map.of() : before.mock().headers();
          Integrations.IntegrationInput sent = integrationInput(in, parameters, mockHeaders);
          // A form from before the connect timeout had a field keeps the integration's.
          Integer connectTimeout =
              in.all("connectTimeoutMillis").isEmpty()
                  ? Integer.valueOf(before.connectTimeoutMillis())
                  : sent.connectTimeoutMillis();
          Integrations.IntegrationInput kept =
              new Integrations.IntegrationInput(
                      sent.type(),
                      sent.httpMethod(),
                      keptArn(before, sent),
                      connectTimeout,
                      sent.timeoutMillis(),
                      sent.requestParameters(),
                      sent.mock(),
                      sent.function(),
                      sent.payloadFormatVersion())
                  // A form from before the mapping or TLS fields existed keeps the integration's.
                  .keepingMappingsOf(before)
                  .keepingTlsOf(before);
          u.integrations().update(tx, apiId, id, withMappings(kept, in, before, sent.mock()));
          return View.redirect(ApiPages.apiPath(tx, apiId) + "#integrations");
        },
        (tx, form) -> integrationForm(tx, apiId, id, form));
  }

  /**
   * {@code kept} with the request templates, passthrough behaviour, content handling, integration
   * responses and backend TLS settings the form sent; a form from before it had one of them keeps
   * what {@code kept} holds. A mock whose responses come from integration responses sends no mock
   * status or body: the fields left blank are no mock response, filled ones are the use case's to
   * refuse.
   */
  private static Integrations.IntegrationInput withMappings(
      Integrations.IntegrationInput kept,
      FormInput in,
      Integration before,
      Integrations.MockInput sentMock) {
    Map<String, String> templates =
        REQUEST_TEMPLATES.wasSent(in) ? requestTemplates(in) : kept.requestTemplates();
    String passthrough =
        in.all("passthroughBehavior").isEmpty()
            ? kept.passthroughBehavior()
            : in.text("passthroughBehavior");
    String contentHandling =
        in.all("contentHandling").isEmpty() ? kept.contentHandling() : in.text("contentHandling");
    List<Integrations.IntegrationResponseInput> responses =
        IntegrationResponseRows.wasSent(in)
            ? IntegrationResponseRows.read(in, before)
            : kept.integrationResponses();
    in.throwIfInvalid();
    Integrations.MockInput mock = IntegrationResponseRows.wasSent(in) ? sentMock : kept.mock();
    if (mock != null
        && responses != null
        && !responses.isEmpty()
        && mock.statusCode() == null
        && (mock.body() == null || mock.body().isBlank())
        && (mock.headers() == null || mock.headers().isEmpty())) {
      mock = null;
    }
    return new Integrations.IntegrationInput(
        kept.type(),
        kept.httpMethod(),
        kept.uri(),
        kept.connectTimeoutMillis(),
        kept.timeoutMillis(),
        kept.requestParameters(),
        mock,
        kept.function(),
        kept.payloadFormatVersion(),
        templates == null || templates.isEmpty() ? null : templates,
        passthrough,
        contentHandling,
        responses == null || responses.isEmpty() ? null : responses,
        IntegrationTlsFields.wasSent(in)
            ? IntegrationTlsFields.read(in, kept.type())
            : kept.tlsConfig(),
        // A form from before the field existed keeps the integration's (null); blank clears them.
        in.all("cacheKeyParameters").isEmpty()
            ? kept.cacheKeyParameters()
            : textLines(in.all("cacheKeyParameters").getFirst()));
  }

  /** The most cache key parameters whose messages the page places beside their field. */
  private static final int SHOWN_CACHE_KEYS = 64;

  /** The non-blank lines of a textarea, trimmed. */
  private static List<String> textLines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\\R")) {
      if (!line.isBlank()) {
        lines.add(line.trim());
      }
    }
    return lines;
  }

  /**
   * The request templates sent, by Content-Type. A row whose template is blank is no template (the
   * page offers an application/json row on every integration). Browsers send a textarea's line
   * breaks as CRLF; the template gets the LF it was typed with, as the API stores it.
   */
  private static Map<String, String> requestTemplates(FormInput in) {
    Map<String, String> templates = new LinkedHashMap<>();
    for (KeyedRows.Sent row : REQUEST_TEMPLATES.read(in, "name the Content-Type, e.g. " + JSON)) {
      String template = raw(in, row.name("template"));
      if (row.key() != null && !template.isBlank()) {
        templates.put(row.key(), template);
      }
    }
    return templates;
  }

  /**
   * The Lambda ARN an imported function integration carries, while it still invokes the function
   * the ARN names: the export writes it back with its region and account. The form has no field for
   * it (the backend URL is for http integrations).
   */
  private static String keptArn(Integration before, Integrations.IntegrationInput sent) {
    boolean invokesFunctions = AWS_PROXY.equals(sent.type()) || AWS.equals(sent.type());
    boolean sameFunction =
        invokesFunctions
            && sent.type().equals(before.type())
            && before.function() != null
            && before.function().equals(sent.function());
    return sameFunction ? before.uri() : sent.uri();
  }

  /**
   * The functions the form offers: the tenant's registered ones, and the one the integration names
   * if it is not registered (or holds a stage variable), so saving other fields keeps it.
   */
  static List<String> functionChoices(UseCases u, TenantTx tx, String current) {
    List<String> names = new ArrayList<>();
    u.functions().list(tx).forEach(f -> names.add(f.name()));
    if (current != null && !current.isBlank() && !names.contains(current)) {
      names.add(current);
    }
    return names;
  }

  /** The mock response's headers sent, by name; an empty value is sent empty. */
  private static Map<String, String> mockHeaders(FormInput in) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (KeyedRows.Sent row : MOCK_HEADERS.read(in, "name the header")) {
      if (row.key() != null) {
        headers.put(row.key(), in.all(row.name("value")).stream().findFirst().orElse("").trim());
      }
    }
    return headers;
  }

  /** The mappings sent, target to source; rows without a target are reported beside them. */
  private static Map<String, String> parameters(FormInput in) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (KeyedRows.Sent row :
        PARAMETERS.read(in, "name the target, e.g. integration.request.header.x-stage")) {
      if (row.key() != null) {
        // A blank source is passed on as absent, so the use case explains what a source is.
        parameters.put(row.key(), in.text(row.name("source")));
      }
    }
    return parameters;
  }

  static Integrations.IntegrationInput integrationInput(
      FormInput in, Map<String, String> requestParameters, Map<String, String> mockHeaders) {
    String type = in.text("type");
    boolean mock = "mock".equals(type);
    Integer connectTimeout = in.integer("connectTimeoutMillis", "/connectTimeoutMillis");
    Integer timeout = in.integer("timeoutMillis", "/timeoutMillis");
    Integer mockStatus = mock ? in.integer("mockStatus", "/mock/statusCode") : null;
    in.throwIfInvalid();
    if (AWS.equals(type)) {
      // The request template's output is the payload, so no payload format applies either.
      return new Integrations.IntegrationInput(
          type,
          null,
          null,
          connectTimeout,
          timeout,
          requestParameters,
          null,
          in.text("function"),
          null);
    }
    if (AWS_PROXY.equals(type)) {
      // A function is always invoked with POST: the backend method and URL do not apply. Mappings
      // are passed on so the use case explains that a function's event carries the whole request.
      return new Integrations.IntegrationInput(
          type,
          null,
          null,
          connectTimeout,
          timeout,
          requestParameters,
          null,
          in.text("function"),
          in.text("payloadFormatVersion"));
    }
    return new Integrations.IntegrationInput(
        type,
        mock ? null : in.text("httpMethod"),
        mock ? null : in.text("uri"),
        connectTimeout,
        timeout,
        requestParameters,
        mock ? new Integrations.MockInput(mockStatus, mockHeaders, in.text("mockBody")) : null);
  }

  private View integrationForm(TenantTx tx, UUID apiId, UUID id, Form sent) {
    Integration integration = u.integrations().get(tx, apiId, id);
    Form form = sent;
    if (form == null) {
      form =
          Form.empty()
              .set("type", integration.type())
              .set("httpMethod", integration.httpMethod())
              .set("uri", integration.uri())
              .set("connectTimeoutMillis", Integer.toString(integration.connectTimeoutMillis()))
              .set("timeoutMillis", Integer.toString(integration.timeoutMillis()))
              .set("function", integration.function())
              .set("payloadFormatVersion", integration.payloadFormatVersion())
              .set("cacheKeyParameters", String.join("\n", integration.cacheKeyParameters()));
      if (integration.mock() != null) {
        form.set("mockStatus", String.valueOf(integration.mock().statusCode()))
            .set("mockBody", integration.mock().body());
        int h = 0;
        for (var header : new TreeMap<>(integration.mock().headers()).entrySet()) {
          form.set(MOCK_HEADERS.name(h, "name"), header.getKey())
              .set(MOCK_HEADERS.name(h, "value"), header.getValue());
          h++;
        }
      }
      form.set(
          "passthroughBehavior",
          integration.passthroughBehavior() == null
              ? ""
              : integration.passthroughBehavior().name().toLowerCase(java.util.Locale.ROOT));
      form.set(
          "contentHandling",
          integration.contentHandling() == null ? "" : integration.contentHandling().name());
      IntegrationResponseRows.fill(form, integration);
      IntegrationTlsFields.fill(form, integration);
      int t = 0;
      if (!integration.requestTemplates().containsKey(JSON)) {
        form.set(REQUEST_TEMPLATES.name(t++, "contentType"), JSON);
      }
      for (var template : new TreeMap<>(integration.requestTemplates()).entrySet()) {
        form.set(REQUEST_TEMPLATES.name(t, "contentType"), template.getKey())
            .set(REQUEST_TEMPLATES.name(t, "template"), template.getValue());
        t++;
      }
      int i = 0;
      for (var mapping : new TreeMap<>(integration.requestParameters()).entrySet()) {
        form.set(PARAMETERS.name(i, "target"), mapping.getKey())
            .set(PARAMETERS.name(i, "source"), mapping.getValue());
        i++;
      }
    }
    List<KeyedRows.Row> rows = PARAMETERS.rows(form);
    List<KeyedRows.Row> headerRows = MOCK_HEADERS.rows(form);
    List<KeyedRows.Row> templateRows = REQUEST_TEMPLATES.rows(form);
    List<IntegrationResponseRows.Row> responseRows = IntegrationResponseRows.rows(form);
    Set<String> placed = new HashSet<>(ApiDetail.INTEGRATION_FIELDS);
    placed.addAll(PARAMETERS.pointers(rows));
    placed.addAll(MOCK_HEADERS.pointers(headerRows));
    placed.addAll(REQUEST_TEMPLATES.pointers(templateRows));
    placed.add("/passthroughBehavior");
    placed.add("/contentHandling");
    placed.addAll(IntegrationResponseRows.pointers(responseRows));
    placed.addAll(IntegrationTlsFields.POINTERS);
    List<String> cacheKeyErrors = new ArrayList<>();
    for (int k = 0; k < SHOWN_CACHE_KEYS; k++) {
      String pointer = "/cacheKeyParameters/" + k;
      placed.add(pointer);
      if (form.has(pointer)) {
        cacheKeyErrors.add("parameter " + (k + 1) + ": " + form.error(pointer));
      }
    }
    return View.page("integration-edit")
        .with("nav", "apis")
        .with("api", u.apis().get(tx, apiId))
        .with("integration", integration)
        .with("methods", ApiDetail.METHODS)
        .with("functions", functionChoices(u, tx, form.value("function")))
        .with("payloadFormatVersions", PAYLOAD_FORMAT_VERSIONS)
        .with("parameterRows", rows)
        .with("mockHeaderRows", headerRows)
        .with("templateRows", templateRows)
        .with("passthroughBehaviors", PASSTHROUGH_BEHAVIORS)
        .with("responseRows", responseRows)
        .with("cacheKeyErrors", cacheKeyErrors)
        .with("contentHandlings", IntegrationResponseRows.CONTENT_HANDLINGS)
        .with("sample", new LinkedHashMap<>(SAMPLE_DEFAULTS))
        .with("testResult", null)
        .with("testProblem", null)
        .with("form", form.placing(placed));
  }
}
