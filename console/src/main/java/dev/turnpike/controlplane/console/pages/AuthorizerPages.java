package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.contracts.config.JwtConfiguration;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.authorizer.AuthorizerSpec;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An API's authorizers (issue 15): listed beside its routes and integrations, created or edited per
 * type (JWT, or a Lambda-style token or request authorizer backed by a registered function or an
 * endpoint) and deleted. One form serves every type; the fields that do not apply to the chosen
 * type are not sent to the use case.
 */
public final class AuthorizerPages {
  private static final Set<String> FIELDS =
      Set.of(
          "/name",
          "/type",
          "/jwt",
          "/jwt/issuer",
          "/jwt/audience",
          "/identitySources",
          "/function",
          "/endpointUrl",
          "/resultTtlSeconds",
          "/timeoutMillis",
          "/identityValidationExpression",
          "/payloadFormatVersion",
          "/simpleResponses");

  private final Pages pages;
  private final UseCases u;

  public AuthorizerPages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  public void mount(Router router) {
    String list = ApiPages.API + "/authorizers";
    router
        .get(list)
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              pages.inTenant(ctx, READ, tx -> list(tx, apiId, null, Form.empty()));
            });
    router.post(list).handler(this::save);
    router
        .get(list + "/:name")
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              String name = ctx.pathParam("name");
              pages.inTenant(
                  ctx,
                  READ,
                  tx -> list(tx, apiId, name, form(u.authorizers().get(tx, apiId, name))));
            });
    router.post(list + "/:name/delete").handler(this::delete);
  }

  private View list(TenantTx tx, UUID apiId, String editing, Form form) {
    return View.page("authorizers")
        .with("nav", "apis")
        .with("api", u.apis().get(tx, apiId))
        .with("authorizers", u.authorizers().list(tx, apiId))
        .with("functions", u.functions().list(tx))
        .with("editing", editing)
        .with("form", form.placing(FIELDS));
  }

  /** The form filled in with an authorizer, to edit it. */
  static Form form(Authorizer a) {
    AuthorizerSpec s = a.spec();
    Form form =
        Form.empty()
            .set("name", a.name())
            .set("type", s.type())
            .set("identitySources", String.join(", ", s.identitySources()))
            .set("function", s.function())
            .set("endpointUrl", s.endpointUrl())
            .set("identityValidationExpression", s.identityValidationExpression())
            .set("payloadFormatVersion", s.payloadFormatVersion())
            .set("simpleResponses", Boolean.TRUE.equals(s.simpleResponses()) ? "on" : "");
    if (s.jwt() != null) {
      form =
          form.set("issuer", s.jwt().issuer())
              .set("audience", String.join(", ", s.jwt().audience()));
    }
    if (s.resultTtlSeconds() != null) {
      form = form.set("resultTtlSeconds", s.resultTtlSeconds().toString());
    }
    if (s.timeoutMillis() != null) {
      form = form.set("timeoutMillis", s.timeoutMillis().toString());
    }
    return form;
  }

  private void save(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    String name = in.text("name");
    AuthorizerSpec spec = spec(in);
    pages.submit(
        ctx,
        tx -> {
          in.throwIfInvalid();
          u.authorizers().put(tx, apiId, name == null ? "" : name, spec);
          return View.redirect(path(tx, apiId), "Authorizer " + name + " is saved.");
        },
        (tx, form) -> list(tx, apiId, null, form));
  }

  /** What the form states, for the type chosen. */
  static AuthorizerSpec spec(FormInput in) {
    String type = in.text("type");
    List<String> sources = commaSeparated(in.text("identitySources"));
    if (AuthorizerSpec.JWT.equals(type)) {
      return new AuthorizerSpec(
          type,
          sources,
          new JwtConfiguration(in.text("issuer"), commaSeparated(in.text("audience"))),
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }
    boolean request = AuthorizerSpec.REQUEST.equals(type);
    return new AuthorizerSpec(
        type,
        sources,
        null,
        in.text("function"),
        in.text("endpointUrl"),
        in.integer("timeoutMillis", "/timeoutMillis"),
        in.integer("resultTtlSeconds", "/resultTtlSeconds"),
        request ? null : in.text("identityValidationExpression"),
        request ? in.text("payloadFormatVersion") : null,
        request ? in.checked("simpleResponses") : null);
  }

  private static List<String> commaSeparated(String text) {
    List<String> values = new ArrayList<>();
    if (text != null) {
      for (String value : text.split(",")) {
        if (!value.isBlank()) {
          values.add(value.trim());
        }
      }
    }
    return values;
  }

  private void delete(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    String name = ctx.pathParam("name");
    pages.submit(
        ctx,
        tx -> {
          u.authorizers().delete(tx, apiId, name);
          return View.redirect(path(tx, apiId), "Authorizer " + name + " was deleted.");
        },
        (tx, form) -> list(tx, apiId, null, form));
  }

  private static String path(TenantTx tx, UUID apiId) {
    return ApiPages.apiPath(tx, apiId) + "/authorizers";
  }
}
