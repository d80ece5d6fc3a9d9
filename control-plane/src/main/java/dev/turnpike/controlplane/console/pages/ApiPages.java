package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.api.Apis;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Integrations;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.api.Routes;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.KeyedRows;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** The API list, creating an API, and the routes and integrations of one API. */
public final class ApiPages {
  static final String API = "/t/:tenantId/apis/:apiId";
  private static final Set<String> API_FIELDS = Set.of("/slug", "/name", "/description");
  private static final KeyedRows PARAMETERS =
      new KeyedRows("rp", "target", "/requestParameters", List.of("target", "source"), List.of());

  private final Pages pages;
  private final UseCases u;
  private final ApiDetail detail;

  public ApiPages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
    this.detail = new ApiDetail(u);
  }

  public void mount(Router router) {
    router.get("/t/:tenantId/apis").handler(ctx -> pages.inTenant(ctx, READ, tx -> list(tx, null)));
    router.post("/t/:tenantId/apis").handler(this::createApi);
    router
        .get(API)
        .handler(ctx -> pages.inTenant(ctx, READ, tx -> detail.view(tx, apiId(ctx), null, null)));
    router.post(API + "/routes").handler(this::createRoute);
    router
        .get(API + "/routes/:routeId")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID routeId = Pages.id(ctx, "routeId", "Route");
              pages.inTenant(ctx, READ, tx -> routeForm(tx, apiId, routeId, null));
            });
    router.post(API + "/routes/:routeId").handler(this::updateRoute);
    router.post(API + "/integrations").handler(this::createIntegration);
    router
        .get(API + "/integrations/:integrationId")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = Pages.id(ctx, "integrationId", "Integration");
              pages.inTenant(ctx, READ, tx -> integrationForm(tx, apiId, id, null));
            });
    router.post(API + "/integrations/:integrationId").handler(this::updateIntegration);
    router.post(API + "/settings").handler(this::updateSettings);
    new GatewayResponsePages(pages, u).mount(router);
    router
        .post(API + "/routes/:routeId/delete")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID routeId = Pages.id(ctx, "routeId", "Route");
              pages.submit(
                  ctx,
                  tx -> {
                    u.routes().delete(tx, apiId, routeId);
                    return View.redirect(apiPath(tx, apiId) + "#routes");
                  },
                  (tx, form) -> detail.view(tx, apiId, "route", form));
            });
    router
        .post(API + "/integrations/:integrationId/delete")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = Pages.id(ctx, "integrationId", "Integration");
              pages.submit(
                  ctx,
                  tx -> {
                    u.integrations().delete(tx, apiId, id);
                    return View.redirect(apiPath(tx, apiId) + "#integrations");
                  },
                  (tx, form) -> detail.view(tx, apiId, "integration", form));
            });
  }

  /** Name and description; the settings the console does not show are kept as they are. */
  private void updateSettings(RoutingContext ctx) {
    UUID apiId = apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          var before = u.apis().get(tx, apiId);
          u.apis()
              .update(
                  tx,
                  apiId,
                  new Apis.UpdateApi(
                      in.text("name"),
                      in.text("description"),
                      before.apiKeySource(),
                      before.binaryMediaTypes(),
                      before.gatewayResponses()));
          return View.redirect(apiPath(tx, apiId));
        },
        (tx, form) -> detail.view(tx, apiId, "settings", form));
  }

  static UUID apiId(RoutingContext ctx) {
    return Pages.id(ctx, "apiId", "API");
  }

  static String apiPath(TenantTx tx, UUID apiId) {
    return "/console/t/" + tx.tenantId() + "/apis/" + apiId;
  }

  private View list(TenantTx tx, Form form) {
    return View.page("apis")
        .with("nav", "apis")
        .with("apis", u.apis().list(tx))
        .with("form", (form == null ? Form.empty() : form).placing(API_FIELDS));
  }

  private void createApi(RoutingContext ctx) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    var input =
        new Apis.CreateApi(
            in.text("slug"), in.text("name"), in.text("description"), null, null, null);
    pages.submit(
        ctx, tx -> View.redirect(apiPath(tx, u.apis().create(tx, input).id())), this::list);
  }

  private void createRoute(RoutingContext ctx) {
    UUID apiId = apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          u.routes().create(tx, apiId, routeInput(in));
          return View.redirect(apiPath(tx, apiId) + "#routes");
        },
        (tx, form) -> detail.view(tx, apiId, "route", form));
  }

  private void updateRoute(RoutingContext ctx) {
    UUID apiId = apiId(ctx);
    UUID routeId = Pages.id(ctx, "routeId", "Route");
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          u.routes().update(tx, apiId, routeId, routeInput(in));
          return View.redirect(apiPath(tx, apiId) + "#routes");
        },
        (tx, form) -> routeForm(tx, apiId, routeId, form));
  }

  private static Routes.RouteInput routeInput(FormInput in) {
    String integration = in.text("integrationId");
    UUID integrationId = null;
    if (integration != null) {
      try {
        integrationId = UUID.fromString(integration);
      } catch (IllegalArgumentException e) {
        throw ApiFailure.invalid("/integrationId", "is not an integration of this API");
      }
    }
    return new Routes.RouteInput(
        in.text("method"), in.text("resourcePath"), in.checked("apiKeyRequired"), integrationId);
  }

  private View routeForm(TenantTx tx, UUID apiId, UUID routeId, Form sent) {
    Route route = u.routes().get(tx, apiId, routeId);
    Form form =
        sent != null
            ? sent
            : Form.of(
                Map.of(
                    "method", route.method(),
                    "resourcePath", route.resourcePath(),
                    "apiKeyRequired", route.apiKeyRequired() ? "on" : "",
                    "integrationId", route.integrationId().toString()));
    return View.page("route-edit")
        .with("nav", "apis")
        .with("api", u.apis().get(tx, apiId))
        .with("route", route)
        .with("integrations", u.integrations().list(tx, apiId))
        .with("methods", ApiDetail.METHODS)
        .with("form", form.placing(ApiDetail.ROUTE_FIELDS));
  }

  private void createIntegration(RoutingContext ctx) {
    UUID apiId = apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          u.integrations().create(tx, apiId, integrationInput(in, Map.of()));
          return View.redirect(apiPath(tx, apiId) + "#integrations");
        },
        (tx, form) -> detail.view(tx, apiId, "integration", form));
  }

  private void updateIntegration(RoutingContext ctx) {
    UUID apiId = apiId(ctx);
    UUID id = Pages.id(ctx, "integrationId", "Integration");
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          Integration before = u.integrations().get(tx, apiId, id);
          Map<String, String> parameters =
              PARAMETERS.wasSent(in) ? parameters(in) : before.requestParameters();
          Integrations.IntegrationInput sent = integrationInput(in, parameters);
          // The connect timeout and a mock's headers have no field here; an edit keeps them.
          u.integrations()
              .update(
                  tx,
                  apiId,
                  id,
                  new Integrations.IntegrationInput(
                      sent.type(),
                      sent.httpMethod(),
                      sent.uri(),
                      before.connectTimeoutMillis(),
                      sent.timeoutMillis(),
                      sent.requestParameters(),
                      sent.mock() == null || before.mock() == null
                          ? sent.mock()
                          : new Integrations.MockInput(
                              sent.mock().statusCode(),
                              before.mock().headers(),
                              sent.mock().body())));
          return View.redirect(apiPath(tx, apiId) + "#integrations");
        },
        (tx, form) -> integrationForm(tx, apiId, id, form));
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

  private static Integrations.IntegrationInput integrationInput(
      FormInput in, Map<String, String> requestParameters) {
    String type = in.text("type");
    boolean mock = "mock".equals(type);
    Integer timeout = in.integer("timeoutMillis", "/timeoutMillis");
    Integer mockStatus = mock ? in.integer("mockStatus", "/mock/statusCode") : null;
    in.throwIfInvalid();
    return new Integrations.IntegrationInput(
        type,
        mock ? null : in.text("httpMethod"),
        mock ? null : in.text("uri"),
        null,
        timeout,
        requestParameters,
        mock ? new Integrations.MockInput(mockStatus, Map.of(), in.text("mockBody")) : null);
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
              .set("timeoutMillis", Integer.toString(integration.timeoutMillis()));
      if (integration.mock() != null) {
        form.set("mockStatus", String.valueOf(integration.mock().statusCode()))
            .set("mockBody", integration.mock().body());
      }
      int i = 0;
      for (var mapping : new TreeMap<>(integration.requestParameters()).entrySet()) {
        form.set(PARAMETERS.name(i, "target"), mapping.getKey())
            .set(PARAMETERS.name(i, "source"), mapping.getValue());
        i++;
      }
    }
    List<KeyedRows.Row> rows = PARAMETERS.rows(form);
    Set<String> placed = new HashSet<>(ApiDetail.INTEGRATION_FIELDS);
    placed.addAll(PARAMETERS.pointers(rows));
    return View.page("integration-edit")
        .with("nav", "apis")
        .with("api", u.apis().get(tx, apiId))
        .with("integration", integration)
        .with("methods", ApiDetail.METHODS)
        .with("parameterRows", rows)
        .with("form", form.placing(placed));
  }
}
