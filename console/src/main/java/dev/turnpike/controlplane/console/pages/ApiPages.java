package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.api.Apis;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.api.Routes;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The API list, creating an API, and the routes and integrations of one API. */
public final class ApiPages {
  static final String API = "/t/:tenantId/apis/:apiId";
  private static final Set<String> API_FIELDS = Set.of("/slug", "/name", "/description");

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
    new IntegrationEditPage(pages, u).mount(router);
    router.post(API + "/settings").handler(this::updateSettings);
    router.post(API + "/edge").handler(this::updateEdge);
    new GatewayResponsePages(pages, u).mount(router);
    new CorsForm(pages, u, detail).mount(router);
    new AuthorizerPages(pages, u).mount(router);
    new UpstreamPages(pages, u).mount(router);
    new AlarmPages(pages, u).mount(router);
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
                  Apis.UpdateApi.renamed(before, in.text("name"), in.text("description")));
          return View.redirect(apiPath(tx, apiId));
        },
        (tx, form) -> detail.view(tx, apiId, "settings", form));
  }

  /**
   * The resource policy (one CIDR block per line) and compression; the other settings are kept.
   * They reach the gateway with the next deployment.
   */
  private void updateEdge(RoutingContext ctx) {
    UUID apiId = apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          Integer minimumSize = in.integer("minimumCompressionSize", "/minimumCompressionSize");
          in.throwIfInvalid();
          var before = u.apis().get(tx, apiId);
          u.apis()
              .update(
                  tx,
                  apiId,
                  Apis.UpdateApi.withEdge(
                      before,
                      new SourceIpPolicy(lines(in.text("allowCidrs")), lines(in.text("denyCidrs"))),
                      minimumSize,
                      in.checked("decompressRequests")));
          return View.redirect(apiPath(tx, apiId));
        },
        (tx, form) -> detail.view(tx, apiId, "edge", form));
  }

  /** The non-blank lines of a textarea, trimmed; none for null. */
  static List<String> lines(String text) {
    return text == null
        ? List.of()
        : text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
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
    List<String> scopes = new ArrayList<>();
    String scopeText = in.text("authorizationScopes");
    if (scopeText != null) {
      // OAuth writes scopes space-separated; commas are accepted too.
      for (String scope : scopeText.split("[\\s,]+")) {
        if (!scope.isEmpty()) {
          scopes.add(scope);
        }
      }
    }
    return new Routes.RouteInput(
        in.text("method"),
        in.text("resourcePath"),
        in.checked("apiKeyRequired"),
        integrationId,
        null,
        null,
        in.text("authorizer"),
        scopes);
  }

  private View routeForm(TenantTx tx, UUID apiId, UUID routeId, Form sent) {
    Route route = u.routes().get(tx, apiId, routeId);
    List<Authorizer> authorizers = u.authorizers().list(tx, apiId);
    String authorizer =
        authorizers.stream()
            .filter(a -> a.id().equals(route.authorizerId()))
            .map(Authorizer::name)
            .findFirst()
            .orElse("");
    Form form =
        sent != null
            ? sent
            : Form.of(
                Map.of(
                    "method", route.method(),
                    "resourcePath", route.resourcePath(),
                    "apiKeyRequired", route.apiKeyRequired() ? "on" : "",
                    "integrationId", route.integrationId().toString(),
                    "authorizer", authorizer,
                    "authorizationScopes", String.join(" ", route.authorizationScopes())));
    return View.page("route-edit")
        .with("nav", "apis")
        .with("api", u.apis().get(tx, apiId))
        .with("route", route)
        .with("integrations", u.integrations().list(tx, apiId))
        .with("authorizers", authorizers)
        .with("methods", ApiDetail.METHODS)
        .with("form", form.placing(ApiDetail.ROUTE_FIELDS));
  }

  private void createIntegration(RoutingContext ctx) {
    UUID apiId = apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          u.integrations()
              .create(tx, apiId, IntegrationEditPage.integrationInput(in, Map.of(), Map.of()));
          return View.redirect(apiPath(tx, apiId) + "#integrations");
        },
        (tx, form) -> detail.view(tx, apiId, "integration", form));
  }
}
