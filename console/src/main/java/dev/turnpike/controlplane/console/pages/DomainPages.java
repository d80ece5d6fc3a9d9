package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.api.Apis;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.domain.Domains;
import dev.turnpike.controlplane.domain.OwnershipCheck;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tx.TenantTx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant's custom domains (issue 17): listed with their status, registered, proved by their DNS
 * TXT record, given a certificate and key, TLS settings and base-path mappings. The private key is
 * taken from the form and never shown again, not even when the form comes back with an error.
 */
public final class DomainPages {
  private static final Set<String> LIST_FIELDS = Set.of("/domainName");
  private static final Set<String> DETAIL_FIELDS =
      Set.of(
          "/certificateChain",
          "/privateKey",
          "/securityPolicy",
          "/truststore",
          "/crls",
          "/basePath",
          "/apiId",
          "/stage");

  private final Pages pages;
  private final Domains domains;
  private final Apis apis;

  public DomainPages(Pages pages, Domains domains, Apis apis) {
    this.pages = pages;
    this.domains = domains;
    this.apis = apis;
  }

  public void mount(Router router) {
    String list = "/t/:tenantId/domains";
    String one = list + "/:domainName";
    router.get(list).handler(ctx -> pages.inTenant(ctx, READ, tx -> list(tx, Form.empty())));
    router.post(list).handler(this::register);
    router
        .get(one)
        .handler(
            ctx -> {
              String name = ctx.pathParam("domainName");
              pages.inTenant(ctx, READ, tx -> detail(tx, name, storedSettings(tx, name)));
            });
    router.post(one + "/verify").handler(this::verify);
    router.post(one + "/certificate").handler(this::certificate);
    router.post(one + "/settings").handler(this::settings);
    router.post(one + "/mappings").handler(this::addMapping);
    router.post(one + "/mappings/:basePath/delete").handler(this::deleteMapping);
    router.post(one + "/delete").handler(this::delete);
  }

  private View list(TenantTx tx, Form form) {
    return View.page("domains")
        .with("nav", "domains")
        .with("domains", domains.list(tx))
        .with("form", form.placing(LIST_FIELDS));
  }

  /**
   * A form holding the domain's truststore and CRLs as saved, so saving the TLS settings again
   * keeps them instead of clearing them.
   */
  private Form storedSettings(TenantTx tx, String name) {
    Domains.TlsSettings stored = domains.tlsSettings(tx, name);
    return Form.empty().set("truststore", stored.truststorePem()).set("crls", stored.crlPem());
  }

  private View detail(TenantTx tx, String name, Form form) {
    return View.page("domain")
        .with("nav", "domains")
        .with("d", domains.get(tx, name))
        .with("apis", apis.list(tx))
        .with("noBasePath", Domains.NO_BASE_PATH)
        .with("form", form.placing(DETAIL_FIELDS));
  }

  private void register(RoutingContext ctx) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    String name = in.text("domainName");
    pages.submit(
        ctx,
        tx -> {
          Domains.DomainView view = domains.register(tx, new Domains.RegisterDomain(name));
          return View.redirect(
              path(tx, view.domainName()),
              "Domain "
                  + view.domainName()
                  + " is registered: publish its TXT record to prove it.");
        },
        this::list);
  }

  /** The DNS lookup runs between two transactions, as the management API's does. */
  private void verify(RoutingContext ctx) {
    Caller caller = Pages.requireCaller(ctx);
    UUID tenantId = Pages.id(ctx, "tenantId", "Tenant");
    String name = ctx.pathParam("domainName");
    var transactor = pages.transactor();
    pages.show(
        ctx,
        () -> {
          Domains.Challenge challenge =
              transactor.inTenant(caller, tenantId, WRITE, tx -> domains.challenge(tx, name));
          OwnershipCheck.Evidence answer = domains.look(challenge);
          try {
            return transactor.inTenant(
                caller,
                tenantId,
                WRITE,
                tx -> {
                  domains.verify(tx, challenge, answer);
                  return View.redirect(
                      path(tx, challenge.domainName()),
                      "Control of " + challenge.domainName() + " is proved.");
                });
          } catch (ApiFailure failure) {
            if (failure.kind() != ProblemKind.CONFLICT
                && failure.kind() != ProblemKind.UNAVAILABLE) {
              throw failure;
            }
            Form form = Form.empty();
            form.failed(failure);
            return transactor
                .inTenant(
                    caller, tenantId, READ, tx -> pages.withTenant(tx, t -> detail(t, name, form)))
                .status(failure.kind().status());
          }
        });
  }

  private void certificate(RoutingContext ctx) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    String name = ctx.pathParam("domainName");
    Domains.CertificateInput input =
        new Domains.CertificateInput(in.text("certificateChain"), in.text("privateKey"));
    pages.submit(
        ctx,
        tx -> {
          domains.putCertificate(tx, name, input);
          return View.redirect(path(tx, name), "The certificate of " + name + " is saved.");
        },
        (tx, form) -> detail(tx, name, form.set("privateKey", "")));
  }

  private void settings(RoutingContext ctx) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    String name = ctx.pathParam("domainName");
    Domains.SettingsInput input =
        new Domains.SettingsInput(
            in.text("securityPolicy"), in.text("truststore"), in.text("crls"));
    pages.submit(
        ctx,
        tx -> {
          domains.updateSettings(tx, name, input);
          return View.redirect(path(tx, name), "The TLS settings of " + name + " are saved.");
        },
        (tx, form) -> detail(tx, name, form));
  }

  private void addMapping(RoutingContext ctx) {
    FormInput in = new FormInput(ctx.request().formAttributes());
    String name = ctx.pathParam("domainName");
    Domains.MappingInput input =
        new Domains.MappingInput(
            in.text("basePath") == null ? "" : in.text("basePath"),
            in.text("apiId"),
            in.text("stage"));
    pages.submit(
        ctx,
        tx -> {
          domains.createMapping(tx, name, input);
          return View.redirect(path(tx, name), "The base path is mapped.");
        },
        (tx, form) -> detail(tx, name, form));
  }

  private void deleteMapping(RoutingContext ctx) {
    String name = ctx.pathParam("domainName");
    String basePath = ctx.pathParam("basePath");
    pages.submit(
        ctx,
        tx -> {
          domains.deleteMapping(tx, name, basePath);
          return View.redirect(path(tx, name), "The mapping was removed.");
        },
        (tx, form) -> detail(tx, name, form));
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("domainName");
    pages.submit(
        ctx,
        tx -> {
          domains.delete(tx, name);
          return View.redirect(
              "/console/t/" + tx.tenantId() + "/domains", "Domain " + name + " was deleted.");
        },
        this::list);
  }

  private static String path(TenantTx tx, String name) {
    return "/console/t/"
        + tx.tenantId()
        + "/domains/"
        + URLEncoder.encode(name, StandardCharsets.UTF_8);
  }
}
