package dev.turnpike.gateway.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The feed's meters. Values are written by the feed thread and read by whoever scrapes, so they are
 * volatile fields the gauges read rather than anything computed on scrape.
 *
 * <p>Names are Micrometer's dotted form; the Prometheus registry renders them as {@code
 * turnpike_config_version}, {@code turnpike_config_lag_records}, {@code turnpike_config_ready},
 * {@code turnpike_config_decode_errors_total{topic}} and {@code
 * turnpike_config_last_applied_seconds}.
 */
final class ConfigFeedMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Map<String, Counter> decodeErrorsByTopic = new HashMap<>();
  private volatile double version;
  private volatile double lagRecords = Double.NaN;
  private volatile double ready;
  private volatile double lastAppliedEpochSeconds = Double.NaN;

  ConfigFeedMetrics(MeterRegistry registry, ConfigTopics topics) {
    this.registry = registry;
    gauge(
        "turnpike.config.version",
        "Version of the configuration state last applied",
        m -> m.version);
    gauge(
        "turnpike.config.lag.records",
        "Records in the config topics not read yet (NaN before Kafka first answered)",
        m -> m.lagRecords);
    gauge(
        "turnpike.config.ready", "1 once the node may serve with its configuration", m -> m.ready);
    gauge(
        "turnpike.config.last.applied.seconds",
        "Epoch seconds when a configuration state was last applied",
        m -> m.lastAppliedEpochSeconds);
    for (String topic : topics.all()) {
      Counter counter =
          Counter.builder("turnpike.config.decode.errors")
              .description("Config records skipped because they did not decode")
              .tag("topic", topic)
              .register(registry);
      meters.add(counter);
      decodeErrorsByTopic.put(topic, counter);
    }
  }

  void applied(long stateVersion, long epochMillis) {
    version = stateVersion;
    lastAppliedEpochSeconds = epochMillis / 1000.0;
  }

  void lag(long records) {
    lagRecords = records;
  }

  void ready(boolean isReady) {
    ready = isReady ? 1 : 0;
  }

  void decodeError(String topic) {
    Counter counter = decodeErrorsByTopic.get(topic);
    if (counter != null) {
      counter.increment();
    }
  }

  /** Unregisters the meters so a feed started later in the same process can register its own. */
  @Override
  public void close() {
    meters.forEach(registry::remove);
  }

  private void gauge(String name, String description, ToDoubleFunction<ConfigFeedMetrics> f) {
    meters.add(
        Gauge.builder(name, this, f)
            .description(description)
            .strongReference(true)
            .register(registry));
  }
}
