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
}
