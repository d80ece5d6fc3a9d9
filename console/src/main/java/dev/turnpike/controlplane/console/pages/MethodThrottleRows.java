package dev.turnpike.controlplane.console.pages;

import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.KeyedRows;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.ThrottleInput;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Per-method throttles as form rows (method, requests per second, burst), shared by the stage page
 * and a plan's limits on one stage. The method is chosen from the routes the API defines and the
 * ones the stage's deployment serves, keyed {@code "/path/METHOD"} as the gateway looks them up.
 */
final class MethodThrottleRows {
  /** A method a throttle can be set for: its key and how the page names it. */
  public record Choice(String key, String label) {}

  private final KeyedRows rows;

  /**
   * @param mapPointer where the use case reports the throttles, e.g. {@code /methodThrottles}
   */
  MethodThrottleRows(String mapPointer) {
    this.rows =
        new KeyedRows(
            "mt",
            "key",
            mapPointer,
            List.of("key", "rate", "burst"),
            List.of("/rateLimit", "/burstLimit"));
  }

  KeyedRows rows() {
    return rows;
  }

  /** Fills {@code form} with the throttles, sorted by key. */
  Form fill(Form form, Map<String, ThrottleLimit> throttles) {
    int i = 0;
    for (var entry : new TreeMap<>(throttles).entrySet()) {
      form.set(rows.name(i, "key"), entry.getKey())
          .set(rows.name(i, "rate"), plain(entry.getValue().rateLimit()))
          .set(rows.name(i, "burst"), Integer.toString(entry.getValue().burstLimit()));
      i++;
    }
    return form;
  }

  /**
   * The throttles sent, or {@code kept} when the form had no rows; parse problems and rows without
   * a method are reported to {@code in}.
   */
  Map<String, ThrottleInput> read(FormInput in, Map<String, ThrottleLimit> kept) {
    if (!rows.wasSent(in)) {
      return ThrottleInput.inputs(kept);
    }
    Map<String, ThrottleInput> throttles = new LinkedHashMap<>();
    for (KeyedRows.Sent row : rows.read(in, "choose a method")) {
      ThrottleInput limit =
          new ThrottleInput(
              in.decimal(row.name("rate"), row.pointer() + "/rateLimit"),
              in.integer(row.name("burst"), row.pointer() + "/burstLimit"));
      if (row.key() != null) {
        throttles.put(row.key(), limit);
      }
    }
    return throttles;
  }

  /** Puts the rows of {@code form} and the methods to choose from into {@code view}. */
  View show(View view, Form form, List<Choice> choices) {
    return view.with("throttleRows", rows.rows(form))
        .with("methodChoices", choices)
        .with("choiceKeys", choices.stream().map(Choice::key).collect(Collectors.toSet()));
  }

  /** The methods the API defines and the stage's deployment serves, by key. */
  static List<Choice> choices(TenantTx tx, UseCases u, Stage stage) {
    Map<String, String> deployed = new TreeMap<>();
    if (stage.deploymentId() != null) {
      for (RouteConfig route :
          u.deployments().get(tx, stage.apiId(), stage.deploymentId()).definition().routes()) {
        deployed.put(
            route.resourcePath() + "/" + route.method(),
            label(route.method(), route.resourcePath()));
      }
    }
    Map<String, String> labels = new TreeMap<>();
    for (Route route : u.routes().list(tx, stage.apiId())) {
      String key = route.resourcePath() + "/" + route.method();
      labels.put(
          key,
          label(route.method(), route.resourcePath())
              + (deployed.containsKey(key) ? "" : " (not deployed yet)"));
    }
    deployed.forEach((key, label) -> labels.putIfAbsent(key, label + " (deployed, since removed)"));
    return labels.entrySet().stream().map(e -> new Choice(e.getKey(), e.getValue())).toList();
  }

  private static String label(String method, String path) {
    return method + " " + path;
  }

  static String plain(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
