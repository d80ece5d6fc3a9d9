package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.function.Functions;
import dev.turnpike.controlplane.tx.TenantTx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The tenant's function registry (issue 14): the functions aws_proxy integrations invoke, listed,
 * registered (or re-registered under the same name) and removed.
 */
public final class FunctionPages {
  private static final Set<String> FIELDS = Set.of("/name", "/invokeUrl", "/timeoutMillis");

  private final Pages pages;
  private final Functions functions;

  public FunctionPages(Pages pages, Functions functions) {
    this.pages = pages;
    this.functions = functions;
  }

  public void mount(Router router) {
    String list = "/t/:tenantId/functions";
    router.get(list).handler(ctx -> pages.inTenant(ctx, READ, tx -> list(tx, Form.empty())));
    router.post(list).handler(this::register);
    router.post(list + "/:name/delete").handler(this::delete);
  }

  private View list(TenantTx tx, Form form) {
    return View.page("functions")
        .with("nav", "functions")
        .with("functions", functions.list(tx))
        .with("form", form.placing(FIELDS));
  }

  private void register(RoutingContext ctx) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    String name = in.text("name");
    Functions.FunctionInput input =
        new Functions.FunctionInput(
            in.text("invokeUrl"), in.integer("timeoutMillis", "/timeoutMillis"));
    pages.submit(
        ctx,
        tx -> {
          in.throwIfInvalid();
          functions.put(tx, name == null ? "" : name, input);
          return View.redirect(path(tx), "Function " + name + " is registered.");
        },
        this::list);
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    pages.submit(
        ctx,
        tx -> {
          functions.delete(tx, name);
          return View.redirect(path(tx), "Function " + name + " was removed.");
        },
        this::list);
  }

  private static String path(TenantTx tx) {
    return "/console/t/" + tx.tenantId() + "/functions";
  }
}
