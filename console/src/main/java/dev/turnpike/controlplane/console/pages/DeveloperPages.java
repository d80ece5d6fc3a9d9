package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.portal.Developer;
import dev.turnpike.controlplane.portal.DeveloperBlocks;
import dev.turnpike.controlplane.portal.Developers;
import dev.turnpike.controlplane.tenant.DeveloperCaps;
import dev.turnpike.controlplane.tenant.TenantCaps;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;

/**
 * The portal's developers as their owner sees them: who registered, blocking one (with the reason
 * they will read in the portal) and unblocking them, and the caps on every developer's keys and
 * apps. The same use cases as the management API run each change.
 */
public final class DeveloperPages {
  private static final Set<String> CAP_FIELDS = Set.of("/keysPerApp", "/appsPerDeveloper");

  private final Pages pages;
  private final TenantCaps caps;
  private final Developers developers;
  private final DeveloperBlocks blocks;

  public DeveloperPages(Pages pages, UseCases u, Developers developers, DeveloperBlocks blocks) {
    this.pages = pages;
    this.caps = u.caps();
    this.developers = developers;
    this.blocks = blocks;
  }

  public void mount(Router router) {
    String page = "/t/:tenantId/developers";
    router.get(page).handler(ctx -> pages.inTenant(ctx, READ, tx -> view(tx, null, null, null)));
    router.post(page + "/caps").handler(this::saveCaps);
    router.post(page + "/:userId/block").handler(this::block);
    router.post(page + "/:userId/unblock").handler(this::unblock);
  }

  private View view(TenantTx tx, Form capsForm, UUID blockingUser, Form blockForm) {
    TenantCaps.View current = caps.get(tx);
    Form capsShown =
        capsForm != null
            ? capsForm
            : Form.empty()
                .set("keysPerApp", text(current.set().keysPerApp()))
                .set("appsPerDeveloper", text(current.set().appsPerDeveloper()));
    return View.page("developers")
        .with("nav", "developers")
        .with("developers", developers.list(tx))
        .with("caps", current)
        .with("capsForm", capsShown.placing(CAP_FIELDS))
        .with("blockingUser", blockingUser)
        .with(
            "blockForm", (blockForm == null ? Form.empty() : blockForm).placing(Set.of("/reason")));
  }

  private void saveCaps(RoutingContext ctx) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          DeveloperCaps wanted =
              new DeveloperCaps(
                  in.integer("keysPerApp", "/keysPerApp"),
                  in.integer("appsPerDeveloper", "/appsPerDeveloper"));
          in.throwIfInvalid();
          TenantCaps.View saved = caps.put(tx, wanted);
          return View.redirect(
              path(tx),
              "Each app may now hold "
                  + saved.keysPerApp()
                  + " keys and each developer "
                  + saved.appsPerDeveloper()
                  + " apps.");
        },
        (tx, form) -> view(tx, form, null, null));
  }

  private void block(RoutingContext ctx) {
    UUID userId = Pages.id(ctx, "userId", "Developer");
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          Developer blocked =
              blocks.block(tx, userId, new DeveloperBlocks.Block(in.text("reason")));
          return View.redirect(
              path(tx),
              blocked.displayName()
                  + " is blocked: their apps are suspended and their keys refused at the"
                  + " gateway.");
        },
        (tx, form) -> view(tx, null, userId, form));
  }

  private void unblock(RoutingContext ctx) {
    UUID userId = Pages.id(ctx, "userId", "Developer");
    pages.submit(
        ctx,
        tx -> {
          Developer unblocked = blocks.unblock(tx, userId);
          return View.redirect(
              path(tx),
              unblocked.displayName()
                  + " is unblocked: the apps the block held work again; keys disabled, revoked"
                  + " or suspended for other reasons stay so.");
        },
        (tx, form) -> view(tx, null, null, null));
  }

  private static String path(TenantTx tx) {
    return "/console/t/" + tx.tenantId() + "/developers";
  }

  private static String text(Integer value) {
    return value == null ? "" : value.toString();
  }
}
