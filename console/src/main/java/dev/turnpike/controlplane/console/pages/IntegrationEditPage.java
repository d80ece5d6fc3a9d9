package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Integrations;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.KeyedRows;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
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
 * ignored.
 */
final class IntegrationEditPage {
  static final String AWS_PROXY = "aws_proxy";
  static final List<String> PAYLOAD_FORMAT_VERSIONS = List.of("1.0", "2.0");

  private static final KeyedRows PARAMETERS =
      new KeyedRows("rp", "target", "/requestParameters", List.of("target", "source"), List.of());
  private static final KeyedRows MOCK_HEADERS =
      new KeyedRows("mh", "name", "/mock/headers", List.of("name", "value"), List.of());

  private final Pages pages;
  private final UseCases u;

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
          u.integrations()
              .update(
                  tx,
                  apiId,
                  id,
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
                      // The form has no fields for templates and integration responses yet.
                      .keepingMappingsOf(before));
          return View.redirect(ApiPages.apiPath(tx, apiId) + "#integrations");
        },
        (tx, form) -> integrationForm(tx, apiId, id, form));
  }

  /**
   * The Lambda ARN an imported function integration carries, while it still invokes the function
   * the ARN names: the export writes it back with its region and account. The form has no field for
   * it (the backend URL is for http integrations).
   */
  private static String keptArn(Integration before, Integrations.IntegrationInput sent) {
    boolean sameFunction =
        AWS_PROXY.equals(sent.type())
            && AWS_PROXY.equals(before.type())
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
              .set("payloadFormatVersion", integration.payloadFormatVersion());
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
      int i = 0;
      for (var mapping : new TreeMap<>(integration.requestParameters()).entrySet()) {
        form.set(PARAMETERS.name(i, "target"), mapping.getKey())
            .set(PARAMETERS.name(i, "source"), mapping.getValue());
        i++;
      }
    }
    List<KeyedRows.Row> rows = PARAMETERS.rows(form);
    List<KeyedRows.Row> headerRows = MOCK_HEADERS.rows(form);
    Set<String> placed = new HashSet<>(ApiDetail.INTEGRATION_FIELDS);
    placed.addAll(PARAMETERS.pointers(rows));
    placed.addAll(MOCK_HEADERS.pointers(headerRows));
    return View.page("integration-edit")
        .with("nav", "apis")
        .with("api", u.apis().get(tx, apiId))
        .with("integration", integration)
        .with("methods", ApiDetail.METHODS)
        .with("functions", functionChoices(u, tx, form.value("function")))
        .with("payloadFormatVersions", PAYLOAD_FORMAT_VERSIONS)
        .with("parameterRows", rows)
        .with("mockHeaderRows", headerRows)
        .with("form", form.placing(placed));
  }
}
