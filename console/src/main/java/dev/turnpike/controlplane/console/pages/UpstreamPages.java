package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamDiscovery;
import dev.turnpike.contracts.config.UpstreamHealthCheck;
import dev.turnpike.contracts.config.UpstreamTarget;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.upstream.Upstream;
import dev.turnpike.controlplane.upstream.UpstreamSpec;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An API's upstreams (issue 18): each upstream's balancing, health check, DNS discovery and targets
 * with their weights, as a deployment will freeze them; created or edited with one form and
 * deleted. The form states what a PUT of the management API states and the use case judges it, so
 * its messages are the API's. Targets' live health differs per gateway node, so it is in each
 * node's metrics, not here.
 */
public final class UpstreamPages {
  /** The pointers the form shows beside a field; a target line's egress refusal among them. */
  private static final Set<String> FIELDS = fields();

  private final Pages pages;
  private final UseCases u;

  public UpstreamPages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  public void mount(Router router) {
    String list = ApiPages.API + "/upstreams";
    router
        .get(list)
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              pages.inTenant(ctx, READ, tx -> list(tx, apiId, null, fresh()));
            });
    router.post(list).handler(this::save);
    router
        .get(list + "/:name")
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              String name = ctx.pathParam("name");
              pages.inTenant(
                  ctx, READ, tx -> list(tx, apiId, name, form(u.upstreams().get(tx, apiId, name))));
            });
    router.post(list + "/:name/delete").handler(this::delete);
  }

  private View list(TenantTx tx, UUID apiId, String editing, Form form) {
    List<String> targetErrors = new ArrayList<>();
    for (int i = 0; i < UpstreamConfig.MAX_TARGETS; i++) {
      if (form.has(targetPointer(i))) {
        targetErrors.add("target " + (i + 1) + ": " + form.error(targetPointer(i)));
      }
    }
    return View.page("upstreams")
        .with("nav", "apis")
        .with("api", u.apis().get(tx, apiId))
        .with("upstreams", u.upstreams().list(tx, apiId))
        .with("editing", editing)
        .with("targetErrors", targetErrors)
        .with("form", form.placing(FIELDS));
  }

  /** A new upstream's form: the health check and discovery fields at their usual values. */
  static Form fresh() {
    return Form.empty()
        .set("balancing", "round_robin")
        .set("hc.path", "/health")
        .set("hc.interval", "5000")
        .set("hc.timeout", "1000")
        .set("hc.healthy", "2")
        .set("hc.unhealthy", "3")
        .set("dns.records", "")
        .set("dns.scheme", "http")
        .set("dns.weight", "1")
        .set("dns.refresh", "30");
  }

  /** The form filled in with an upstream, to edit it. */
  static Form form(Upstream up) {
    Form form =
        fresh()
            .set("name", up.name())
            .set(
                "balancing",
                up.balancing() == UpstreamBalancing.LEAST_REQUESTS
                    ? "least_requests"
                    : "round_robin")
            .set("targets", targetLines(up.targets()));
    UpstreamHealthCheck check = up.healthCheck();
    if (check != null) {
      form.set("hc.enabled", "on")
          .set("hc.path", check.path())
          .set("hc.interval", Integer.toString(check.intervalMillis()))
          .set("hc.timeout", Integer.toString(check.timeoutMillis()))
          .set("hc.healthy", Integer.toString(check.healthyThreshold()))
          .set("hc.unhealthy", Integer.toString(check.unhealthyThreshold()));
    }
    UpstreamDiscovery dns = up.discovery();
    if (dns != null) {
      form.set("dns.records", dns.records())
          .set("dns.hostname", dns.hostname())
          .set("dns.scheme", dns.scheme())
          .set("dns.port", dns.srvRecords() ? "" : Integer.toString(dns.port()))
          .set("dns.weight", dns.srvRecords() ? "" : Integer.toString(dns.weight()))
          .set("dns.refresh", Integer.toString(dns.refreshSeconds()));
    }
    return form;
  }

  /** One target a line: its URL and its weight. */
  static String targetLines(List<UpstreamTarget> targets) {
    StringBuilder lines = new StringBuilder();
    for (UpstreamTarget target : targets) {
      lines.append(target.url()).append(' ').append(target.weight()).append('\n');
    }
    return lines.toString();
  }

  private void save(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    String name = in.text("name");
    UpstreamSpec spec = spec(in);
    pages.submit(
        ctx,
        tx -> {
          in.throwIfInvalid();
          u.upstreams().put(tx, apiId, name == null ? "" : name, spec);
          return View.redirect(path(tx, apiId), "Upstream " + name + " is saved.");
        },
        (tx, form) -> list(tx, apiId, null, form));
  }

  /**
   * What the form states. A number left blank is 0, which the use case refuses with the API's
   * message, except an SRV discovery's port and weight, which are the records' and stay 0.
   */
  static UpstreamSpec spec(FormInput in) {
    UpstreamHealthCheck check =
        in.checked("hc.enabled")
            ? new UpstreamHealthCheck(
                in.text("hc.path"),
                number(in, "hc.interval", "/healthCheck"),
                number(in, "hc.timeout", "/healthCheck"),
                number(in, "hc.healthy", "/healthCheck"),
                number(in, "hc.unhealthy", "/healthCheck"))
            : null;
    String records = in.text("dns.records");
    UpstreamDiscovery dns =
        records == null
            ? null
            : new UpstreamDiscovery(
                in.text("dns.hostname"),
                number(in, "dns.port", "/discovery"),
                in.text("dns.scheme"),
                UpstreamDiscovery.SRV.equals(records) ? 0 : number(in, "dns.weight", "/discovery"),
                number(in, "dns.refresh", "/discovery"),
                records);
    return new UpstreamSpec(
        "least_requests".equals(in.text("balancing"))
            ? UpstreamBalancing.LEAST_REQUESTS
            : UpstreamBalancing.ROUND_ROBIN,
        targets(in),
        check,
        dns);
  }

  private static int number(FormInput in, String name, String pointer) {
    Integer value = in.integer(name, pointer);
    return value == null ? 0 : value;
  }

  /** The target lines: {@code URL [weight]}, weight 1 when left out; blank lines skipped. */
  static List<UpstreamTarget> targets(FormInput in) {
    List<UpstreamTarget> targets = new ArrayList<>();
    String text = in.text("targets");
    if (text == null) {
      return targets;
    }
    int line = 0;
    for (String raw : text.split("\\R")) {
      line++;
      String[] parts = raw.trim().split("\\s+");
      if (parts[0].isEmpty()) {
        continue;
      }
      int weight = 1;
      if (parts.length > 2) {
        in.error("/targets", "line " + line + ": a target is a URL and a weight");
      } else if (parts.length == 2) {
        try {
          weight = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          in.error("/targets", "line " + line + ": the weight must be a whole number");
        }
      }
      targets.add(new UpstreamTarget(parts[0], weight));
    }
    return targets;
  }

  private void delete(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    String name = ctx.pathParam("name");
    pages.submit(
        ctx,
        tx -> {
          u.upstreams().delete(tx, apiId, name);
          return View.redirect(path(tx, apiId), "Upstream " + name + " was deleted.");
        },
        (tx, form) -> list(tx, apiId, null, fresh()));
  }

  private static String targetPointer(int index) {
    return "/targets/" + index + "/url";
  }

  private static Set<String> fields() {
    Set<String> fields =
        new HashSet<>(
            Set.of(
                "/name",
                "/targets",
                "/healthCheck",
                "/discovery",
                "/discovery/hostname",
                "/balancing"));
    for (int i = 0; i < UpstreamConfig.MAX_TARGETS; i++) {
      fields.add(targetPointer(i));
    }
    return Set.copyOf(fields);
  }

  private static String path(TenantTx tx, UUID apiId) {
    return ApiPages.apiPath(tx, apiId) + "/upstreams";
  }
}
