package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.MANAGE_MEMBERS;
import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tenant.Member;
import dev.turnpike.controlplane.tenant.Members;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The organization's members: everyone sees the list; owners add people by the email they sign in
 * with, change roles and remove members, through the same use case and owner-only check as the
 * management API (so the last owner can be neither demoted nor removed).
 */
public final class MemberPages {
  static final List<String> ROLES = List.of("owner", "admin", "viewer");
  private static final Set<String> ADD_FIELDS = Set.of("/email", "/role");

  private final Pages pages;
  private final UseCases u;

  public MemberPages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  public void mount(Router router) {
    String list = "/t/:tenantId/members";
    router.get(list).handler(ctx -> pages.inTenant(ctx, READ, tx -> list(tx, null, null)));
    router.post(list).handler(this::add);
    router.post(list + "/:userId/role").handler(this::changeRole);
    router.post(list + "/:userId/remove").handler(this::remove);
  }

  private View list(TenantTx tx, String slot, Form form) {
    Form add = Form.empty().set("role", "viewer");
    Form change = Form.empty();
    if ("add".equals(slot)) {
      add = form;
    } else if ("change".equals(slot)) {
      change = form;
    }
    return View.page("members")
        .with("nav", "members")
        .with("members", u.members().list(tx))
        .with("roles", ROLES)
        .with("me", tx.caller().userId())
        .with("canManage", tx.role().allows(MANAGE_MEMBERS))
        .with("addForm", add.placing(ADD_FIELDS))
        .with("changeForm", change.placing(Set.of()));
  }

  private void add(RoutingContext ctx) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    Members.AddMember input = new Members.AddMember(in.text("email"), in.text("role"));
    pages.submit(
        ctx,
        MANAGE_MEMBERS,
        tx -> {
          u.members().add(tx, input);
          return View.redirect(membersPath(tx), addedFlash(input));
        },
        (tx, form) -> list(tx, "add", form));
  }

  private void changeRole(RoutingContext ctx) {
    UUID userId = Pages.id(ctx, "userId", "Member");
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        MANAGE_MEMBERS,
        tx -> {
          Member member = member(tx, userId);
          Member after = u.members().put(tx, userId, new Members.PutMember(in.text("role")));
          String flash =
              after.role().equals(member.role())
                  ? label(after) + " stays " + after.role() + "."
                  : label(after) + " is now " + after.role() + " (was " + member.role() + ").";
          return View.redirect(membersPath(tx), flash);
        },
        (tx, form) -> list(tx, "change", form));
  }

  private void remove(RoutingContext ctx) {
    UUID userId = Pages.id(ctx, "userId", "Member");
    pages.submit(
        ctx,
        MANAGE_MEMBERS,
        tx -> {
          Member member = member(tx, userId);
          u.members().remove(tx, userId);
          if (userId.equals(tx.caller().userId())) {
            // Nothing of this organization is theirs to see any more.
            return View.redirect("/console/", "You left " + u.tenants().get(tx).name() + ".");
          }
          return View.redirect(membersPath(tx), label(member) + " was removed.");
        },
        (tx, form) -> list(tx, "change", form));
  }

  /**
   * The membership a role form names: the API's PUT would add someone who is not a member (any
   * more), which a form about an existing member must not do.
   */
  private Member member(TenantTx tx, UUID userId) {
    return u.members().list(tx).stream()
        .filter(m -> m.userId().equals(userId))
        .findFirst()
        .orElseThrow(() -> ApiFailure.notFound("Member " + userId));
  }

  private static String membersPath(TenantTx tx) {
    return "/console/t/" + tx.tenantId() + "/members";
  }

  /**
   * The same words whether or not anyone was added, so the answer tells nobody which addresses have
   * accounts; the list on the page shows who the members are.
   */
  static String addedFlash(Members.AddMember input) {
    return "If "
        + input.email().trim()
        + " belongs to a Turnpike account whose email address is verified, they are now "
        + input.role()
        + ". Someone without one must sign up and verify their address first.";
  }

  static String label(Member member) {
    if (member.displayName() != null && !member.displayName().isBlank()) {
      return member.email() == null
          ? member.displayName()
          : member.displayName() + " (" + member.email() + ")";
    }
    return member.email() != null ? member.email() : member.userId().toString();
  }
}
