package dev.turnpike.controlplane.console.pages;

import dev.turnpike.controlplane.usage.TrafficSummary.Bucket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The dashboard's charts, drawn on the server as SVG polylines (no script, so the console's content
 * security policy stays as it is and a test reads the figures in the page): per API stage,
 * requests, errors (4xx and 5xx) and mean latency per minute of the last hour and per hour of the
 * last day, from metering's aggregates. A bucket without calls is a 0 on the line.
 */
public final class TrafficCharts {
  /** Stages charted at most, the busiest first, so a tenant with many stages keeps a fast page. */
  static final int MAX_STAGES = 12;

  static final int WIDTH = 240;
  static final int HEIGHT = 48;

  /** One line: its points in the SVG's coordinates and its highest value, as a label. */
  public record Line(String title, String points, String peak) {}

  /** One stage's lines over one window. */
  public record StageCharts(String api, String stage, long calls, List<Line> lines) {}

  /** A window's charts: {@code hour} or {@code day}. */
  public record Window(String id, String title, List<StageCharts> stages) {}

  private TrafficCharts() {}

  /**
   * @param buckets one granularity's buckets since {@code start}
   * @param step the buckets' length (a minute or an hour)
   * @param count the buckets in the window
   */
  static List<StageCharts> of(
      List<Bucket> buckets, Map<String, String> apiNames, Instant start, Duration step, int count) {
    Instant first =
        start.truncatedTo(step.equals(Duration.ofHours(1)) ? ChronoUnit.HOURS : ChronoUnit.MINUTES);
    Map<String, Bucket[]> byStage = new LinkedHashMap<>();
    for (Bucket b : buckets) {
      int slot = (int) (Duration.between(first, b.start()).toSeconds() / step.toSeconds());
      if (slot < 0 || slot >= count) {
        continue;
      }
      byStage.computeIfAbsent(b.apiId() + "\n" + b.stage(), k -> new Bucket[count])[slot] = b;
    }
    List<StageCharts> charts = new ArrayList<>();
    for (var entry : byStage.entrySet()) {
      Bucket[] slots = entry.getValue();
      String[] key = entry.getKey().split("\n", 2);
      long calls = 0;
      for (Bucket b : slots) {
        calls += b == null ? 0 : b.calls();
      }
      charts.add(
          new StageCharts(
              apiNames.getOrDefault(key[0], key[0]),
              key[1],
              calls,
              List.of(
                  line("Requests", slots, b -> b.calls(), ""),
                  line("Errors", slots, b -> b.clientErrors() + b.serverErrors(), ""),
                  line(
                      "Mean latency",
                      slots,
                      b -> b.calls() == 0 ? 0 : b.latencySumMicros() / 1000.0 / b.calls(),
                      " ms"))));
    }
    charts.sort((a, b) -> Long.compare(b.calls(), a.calls()));
    return charts.size() > MAX_STAGES ? charts.subList(0, MAX_STAGES) : charts;
  }

  static Line line(String title, Bucket[] slots, ToDoubleFunction<Bucket> value, String unit) {
    double[] values = new double[slots.length];
    double peak = 0;
    for (int i = 0; i < slots.length; i++) {
      values[i] = slots[i] == null ? 0 : value.applyAsDouble(slots[i]);
      peak = Math.max(peak, values[i]);
    }
    StringBuilder points = new StringBuilder();
    double dx = slots.length > 1 ? (double) WIDTH / (slots.length - 1) : 0;
    for (int i = 0; i < values.length; i++) {
      double y = peak == 0 ? HEIGHT : HEIGHT - values[i] / peak * (HEIGHT - 2);
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", i * dx, y));
    }
    String label =
        peak == Math.rint(peak)
            ? Long.toString((long) peak)
            : String.format(Locale.ROOT, "%.1f", peak);
    return new Line(title, points.toString().strip(), label + unit);
  }
}
