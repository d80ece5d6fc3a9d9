package dev.turnpike.controlplane.alarm;

import dev.turnpike.settings.SettingsReader;
import java.time.Duration;

/**
 * How the control plane evaluates owners' alarms, as the operator set it.
 *
 * @param interval between rounds; zero evaluates none
 * @param prometheusUrl Prometheus's root URL to read metrics through its HTTP API, or null to read
 *     metering's aggregates
 * @param prometheusTimeout of each Prometheus query
 * @param historyRetention alarm history older than this is deleted
 * @param webhookThreads webhook calls in flight, all tenants together
 * @param webhookPerTenant one tenant's webhook calls in flight
 */
public record AlarmSettings(
    Duration interval,
    String prometheusUrl,
    Duration prometheusTimeout,
    Duration historyRetention,
    int webhookThreads,
    int webhookPerTenant) {

  /**
   * Reads {@code TURNPIKE_CP_ALARM_INTERVAL_SECONDS} [60, 0 for none], {@code
   * TURNPIKE_CP_ALARM_PROMETHEUS_URL} [none], {@code TURNPIKE_CP_ALARM_PROMETHEUS_TIMEOUT_MS}
   * [5000], {@code TURNPIKE_CP_ALARM_HISTORY_RETENTION_DAYS} [30], {@code
   * TURNPIKE_CP_ALARM_WEBHOOK_THREADS} [4] and {@code TURNPIKE_CP_ALARM_WEBHOOK_TENANT_IN_FLIGHT}
   * [1], which must stay below the threads.
   */
  public static AlarmSettings read(SettingsReader read) {
    int threads = read.integer("TURNPIKE_CP_ALARM_WEBHOOK_THREADS", 4, 1, 256);
    int perTenant = read.integer("TURNPIKE_CP_ALARM_WEBHOOK_TENANT_IN_FLIGHT", 1, 1, 256);
    if (threads > 1 && perTenant >= threads) {
      read.problem(
          "TURNPIKE_CP_ALARM_WEBHOOK_TENANT_IN_FLIGHT ("
              + perTenant
              + ") must be below TURNPIKE_CP_ALARM_WEBHOOK_THREADS ("
              + threads
              + "): one tenant's hanging receiver must not hold every thread");
      perTenant = Math.max(1, threads - 1);
    }
    return new AlarmSettings(
        Duration.ofSeconds(read.integer("TURNPIKE_CP_ALARM_INTERVAL_SECONDS", 60, 0, 3600)),
        read.httpUrl("TURNPIKE_CP_ALARM_PROMETHEUS_URL"),
        read.millis("TURNPIKE_CP_ALARM_PROMETHEUS_TIMEOUT_MS", 5000, 100, 60_000),
        Duration.ofDays(read.integer("TURNPIKE_CP_ALARM_HISTORY_RETENTION_DAYS", 30, 1, 3650)),
        threads,
        perTenant);
  }
}
