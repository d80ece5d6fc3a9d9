package dev.turnpike.controlplane.usage;

import java.time.Instant;
import java.util.List;

/** Reads a tenant's metered traffic for the dashboard. Bound to one tenant-scoped transaction. */
public interface TrafficSummary {
  /** Calls and errors of one API stage in a window, as metering aggregated them. */
  record StageTraffic(
      String apiId, String stage, long calls, long clientErrors, long serverErrors) {}

  /** Totals per API stage of every aggregate bucket starting at or after {@code since}. */
  List<StageTraffic> since(Instant since);

  /** The traffic of one API stage in one of metering's buckets. */
  record Bucket(
      String apiId,
      String stage,
      Instant start,
      long calls,
      long clientErrors,
      long serverErrors,
      long latencySumMicros) {}

  /**
   * Every API stage's buckets of metering's {@code granularity} ({@code minute} or {@code hour})
   * starting at or after {@code since}, buckets without calls absent, by API, stage and start.
   */
  List<Bucket> series(String granularity, Instant since);

  /** One side of a stage's canary release: its calls, errors and latency. */
  record ReleaseTraffic(
      long calls,
      long clientErrors,
      long serverErrors,
      long latencySumMicros,
      long latencyMaxMicros) {
    public static final ReleaseTraffic NONE = new ReleaseTraffic(0, 0, 0, 0, 0);

    /** 4xx and 5xx answers as a percentage of calls, 0 without calls. */
    public double errorPercent() {
      return calls == 0 ? 0 : 100.0 * (clientErrors + serverErrors) / calls;
    }

    /** 5xx answers as a percentage of calls, 0 without calls. */
    public double serverErrorPercent() {
      return calls == 0 ? 0 : 100.0 * serverErrors / calls;
    }

    /** Mean latency in milliseconds, 0 without calls. */
    public double meanLatencyMillis() {
      return calls == 0 ? 0 : latencySumMicros / 1000.0 / calls;
    }

    public double maxLatencyMillis() {
      return latencyMaxMicros / 1000.0;
    }
  }

  /** A stage's base and canary side by side. */
  record CanaryComparison(ReleaseTraffic base, ReleaseTraffic canary) {}

  /**
   * The stage's calls per side of its canary release in the hourly buckets starting at or after
   * {@code since}, as metering counted them from the usage events' canary flag.
   */
  CanaryComparison releases(String apiId, String stage, Instant since);
}
