package dev.turnpike.controlplane.console.pages;

import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.tenant.Access;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import dev.turnpike.controlplane.usage.TrafficSummary;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The tenant's overview: its APIs, each stage and what it serves, and the last day's traffic. */
public final class DashboardPage {
  static final Duration TRAFFIC_WINDOW = Duration.ofHours(24);

  /** One API with its stages, as the dashboard lists it. */
  public record ApiRow(Api api, List<Stage> stages) {}

  /** The traffic of one API stage, named for people. */
  public record TrafficRow(
      String api, String stage, long calls, long clientErrors, long serverErrors) {}

  private final Pages pages;
  private final UseCases u;
  private final TxStore<TrafficSummary> trafficSummary;

  public DashboardPage(TxStore<TrafficSummary> trafficSummary, Pages pages, UseCases u) {
    this.trafficSummary = trafficSummary;
    this.pages = pages;
    this.u = u;
  }

  public void mount(Router router) {
    router.get("/t/:tenantId/").handler(ctx -> pages.inTenant(ctx, Access.READ, this::dashboard));
  }

  private View dashboard(TenantTx tx) {
    List<Api> apis = u.apis().list(tx);
    List<ApiRow> rows = new ArrayList<>();
    for (Api api : apis) {
      rows.add(new ApiRow(api, u.stages().list(tx, api.id())));
    }
    List<TrafficRow> traffic = new ArrayList<>();
    long calls = 0;
    long errors = 0;
    for (var t : trafficSummary.in(tx).since(tx.now().minus(TRAFFIC_WINDOW))) {
      String name =
          apis.stream()
              .filter(a -> a.id().toString().equals(t.apiId()))
              .map(Api::name)
              .findFirst()
              .orElse(t.apiId());
      traffic.add(new TrafficRow(name, t.stage(), t.calls(), t.clientErrors(), t.serverErrors()));
      calls += t.calls();
      errors += t.clientErrors() + t.serverErrors();
    }
    Map<String, String> names = new HashMap<>();
    apis.forEach(a -> names.put(a.id().toString(), a.name()));
    TrafficSummary summary = trafficSummary.in(tx);
    Instant hourStart = tx.now().minus(Duration.ofMinutes(59));
    Instant dayStart = tx.now().minus(Duration.ofHours(23));
    return View.page("dashboard")
        .with(
            "charts",
            List.of(
                new TrafficCharts.Window(
                    "hour",
                    "Per stage, last hour (per minute)",
                    TrafficCharts.of(
                        summary.series("minute", hourStart.truncatedTo(ChronoUnit.MINUTES)),
                        names,
                        hourStart,
                        Duration.ofMinutes(1),
                        60)),
                new TrafficCharts.Window(
                    "day",
                    "Per stage, last day (per hour)",
                    TrafficCharts.of(
                        summary.series("hour", dayStart.truncatedTo(ChronoUnit.HOURS)),
                        names,
                        dayStart,
                        Duration.ofHours(1),
                        24))))
        .with("nav", "dashboard")
        .with("apis", rows)
        .with("traffic", traffic)
        .with("totalCalls", calls)
        .with("totalErrors", errors)
        .with("plans", u.plans().list(tx).size())
        .with("apps", u.apps().list(tx).size());
  }
}
