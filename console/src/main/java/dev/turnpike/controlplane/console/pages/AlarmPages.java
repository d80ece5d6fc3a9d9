package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.alarm.Alarm;
import dev.turnpike.controlplane.alarm.AlarmSpec;
import dev.turnpike.controlplane.alarm.AlarmTransition;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An API's alarms: each with its state (ok, firing or insufficient data) and its last changes,
 * created or edited with one form and deleted. The form states what the management API's POST or
 * PUT states and the use case judges it, so its messages, the egress policy's refusal of a webhook
 * among them, are the API's. A new alarm's signing secret (and a rotated one) is shown on the page
 * that answers the POST, the only time it is shown: it is not carried through a redirect, so it
 * never sits in the session.
 */
public final class AlarmPages {
  private static final Set<String> FIELDS =
      Set.of(
          "/name",
          "/stage",
          "/metric",
          "/comparison",
          "/threshold",
          "/windowMinutes",
          "/webhookUrl");

  /** An alarm with its latest changes of state, as the page lists it. */
  public record AlarmRow(Alarm alarm, List<AlarmTransition> history) {}

  /** A signing secret just issued, shown once. */
  public record IssuedSecret(String alarmName, String secret) {
    @Override
    public String toString() {
      return "IssuedSecret[" + alarmName + "]";
    }
  }

  private final Pages pages;
  private final UseCases u;

  public AlarmPages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  public void mount(Router router) {
    String list = ApiPages.API + "/alarms";
    router
        .get(list)
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              pages.inTenant(ctx, READ, tx -> list(tx, apiId, null, fresh()));
            });
    router.post(list).handler(ctx -> save(ctx, null));
    router
        .get(list + "/:alarmId")
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              UUID alarmId = Pages.id(ctx, "alarmId", "Alarm");
              pages.inTenant(
                  ctx,
                  READ,
                  tx -> list(tx, apiId, alarmId, form(u.alarms().get(tx, apiId, alarmId))));
            });
    router.post(list + "/:alarmId").handler(ctx -> save(ctx, Pages.id(ctx, "alarmId", "Alarm")));
    router.post(list + "/:alarmId/delete").handler(this::delete);
    router.post(list + "/:alarmId/signing-secret").handler(this::rotate);
  }

  private View list(TenantTx tx, UUID apiId, UUID editing, Form form) {
    List<AlarmRow> rows =
        u.alarms().list(tx, apiId).stream()
            .map(
                a ->
                    new AlarmRow(
                        a, u.alarms().history(tx, apiId, a.id()).stream().limit(10).toList()))
            .toList();
    return View.page("alarms")
        .with("nav", "apis")
        .with("api", u.apis().get(tx, apiId))
        .with("stages", u.stages().list(tx, apiId))
        .with("alarms", rows)
        .with("editing", editing)
        .with("form", form.placing(FIELDS));
  }

  /** A new alarm's form: the 5xx rate over five minutes, the usual first alarm. */
  static Form fresh() {
    return Form.empty()
        .set("metric", "error_rate_5xx")
        .set("comparison", "gt")
        .set("threshold", "5")
        .set("windowMinutes", "5")
        .set("enabled", "on");
  }

  static Form form(Alarm alarm) {
    Form form =
        Form.empty()
            .set("name", alarm.name())
            .set("stage", alarm.stage())
            .set("metric", alarm.metric())
            .set("comparison", alarm.comparison())
            .set("threshold", number(alarm.threshold()))
            .set("windowMinutes", Integer.toString(alarm.windowMinutes()))
            .set("webhookUrl", alarm.webhookUrl());
    return alarm.enabled() ? form.set("enabled", "on") : form;
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private void save(RoutingContext ctx, UUID alarmId) {
    UUID apiId = ApiPages.apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    AlarmSpec spec =
        new AlarmSpec(
            in.text("name"),
            in.text("stage"),
            in.text("metric"),
            in.text("comparison"),
            in.decimal("threshold", "/threshold"),
            in.integer("windowMinutes", "/windowMinutes"),
            in.text("webhookUrl"),
            in.checked("enabled"));
    pages.submit(
        ctx,
        tx -> {
          in.throwIfInvalid();
          if (alarmId == null) {
            Alarm created = u.alarms().create(tx, apiId, spec);
            return issued(tx, apiId, created, "Alarm " + created.name() + " is saved.");
          }
          Alarm saved = u.alarms().update(tx, apiId, alarmId, spec);
          return View.redirect(path(tx, apiId), "Alarm " + saved.name() + " is saved.");
        },
        (tx, form) -> list(tx, apiId, alarmId, form));
  }

  private void rotate(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID alarmId = Pages.id(ctx, "alarmId", "Alarm");
    pages.submit(
        ctx,
        tx -> {
          Alarm alarm = u.alarms().rotateSigningSecret(tx, apiId, alarmId);
          return issued(
              tx,
              apiId,
              alarm,
              "Alarm " + alarm.name() + " has a new signing secret; the old one signs no more.");
        },
        (tx, form) -> list(tx, apiId, null, fresh()));
  }

  /** The list, with the secret just issued shown once above it. */
  private View issued(TenantTx tx, UUID apiId, Alarm alarm, String message) {
    return list(tx, apiId, null, fresh())
        .with("flash", message)
        .with("issued", new IssuedSecret(alarm.name(), alarm.signingSecret()));
  }

  private void delete(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID alarmId = Pages.id(ctx, "alarmId", "Alarm");
    pages.submit(
        ctx,
        tx -> {
          u.alarms().delete(tx, apiId, alarmId);
          return View.redirect(path(tx, apiId), "The alarm was deleted.");
        },
        (tx, form) -> list(tx, apiId, null, fresh()));
  }

  private static String path(TenantTx tx, UUID apiId) {
    return ApiPages.apiPath(tx, apiId) + "/alarms";
  }
}
