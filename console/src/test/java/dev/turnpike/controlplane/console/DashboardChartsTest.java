package dev.turnpike.controlplane.console;

import static dev.turnpike.db.Tables.USAGE_AGGREGATES;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's charts (on the console and organization shared by every {@link
 * ConsoleFeatureTest}): requests, errors and mean latency per stage, per minute of the last hour
 * and per hour of the last day, drawn as SVG from metering's aggregates.
 */
class DashboardChartsTest extends ConsoleFeatureTest {

  @Test
  void the_dashboard_charts_each_stages_last_hour_by_minute_and_last_day_by_hour() {
    String apiId = fixture.api(tenantId);
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Instant hour = minute.truncatedTo(ChronoUnit.HOURS);
    aggregate("minute", apiId, "charted", minute.minus(3, ChronoUnit.MINUTES), 30, 4, 2, 60_000);
    aggregate("minute", apiId, "charted", minute, 10, 0, 1, 50_000);
    // Older than an hour: not in the hour's chart.
    aggregate("minute", apiId, "charted", minute.minus(90, ChronoUnit.MINUTES), 999, 0, 0, 0);
    aggregate("hour", apiId, "charted", hour.minus(5, ChronoUnit.HOURS), 700, 7, 0, 1_400_000);
    aggregate("hour", apiId, "charted", hour, 40, 6, 1, 80_000);
    // Older than a day: not in the day's chart.
    aggregate("hour", apiId, "charted", hour.minus(30, ChronoUnit.HOURS), 5000, 0, 0, 0);

    HttpResponse<String> dashboard = owner.page(tenantPath);

    String page = dashboard.body();
    String lastHour =
        page.substring(page.indexOf("id=\"charts-hour\""), page.indexOf("id=\"charts-day\""));
    String lastDay = page.substring(page.indexOf("id=\"charts-day\""));
    assertThat(lastHour)
        .contains("Requests of charted, peak 30")
        .contains("Errors of charted, peak 6")
        .contains("Mean latency of charted, peak 5 ms")
        .contains("<polyline");
    assertThat(lastDay)
        .contains("Requests of charted, peak 700")
        .contains("Errors of charted, peak 7")
        .contains("Mean latency of charted, peak 2 ms");
  }

  void aggregate(
      String granularity,
      String apiId,
      String stage,
      Instant bucket,
      long calls,
      long e4,
      long e5,
      long latencySumMicros) {
    db.ownerDsl()
        .insertInto(USAGE_AGGREGATES)
        .set(USAGE_AGGREGATES.TENANT_ID, java.util.UUID.fromString(tenantId))
        .set(USAGE_AGGREGATES.GRANULARITY, granularity)
        .set(USAGE_AGGREGATES.BUCKET_START, bucket.atOffset(ZoneOffset.UTC))
        .set(USAGE_AGGREGATES.API_ID, apiId)
        .set(USAGE_AGGREGATES.STAGE, stage)
        .set(USAGE_AGGREGATES.KEY_ID, "k")
        .set(USAGE_AGGREGATES.APP_ID, "a")
        .set(USAGE_AGGREGATES.PLAN_ID, "p")
        .set(USAGE_AGGREGATES.CALLS, calls)
        .set(USAGE_AGGREGATES.ERRORS_4XX, e4)
        .set(USAGE_AGGREGATES.ERRORS_5XX, e5)
        .set(USAGE_AGGREGATES.LATENCY_SUM_MICROS, latencySumMicros)
        .execute();
  }
}
