package dev.turnpike.metering.aggregation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * How far metering's consumer is behind the usage topic, as {@code turnpike_metering_lag_records}:
 * the Kafka consumer's own {@code records-lag-max} over all its partitions (NaN before its first
 * fetch), which the shipped alert "metering is behind" watches. The consumer is not thread-safe, so
 * only its poll thread looks the metric up ({@link #observe}); the scrape reads the metric object,
 * which is.
 */
final class ConsumerLagGauge {
  static final String NAME = "turnpike_metering_lag_records";
  private static final String GROUP = "consumer-fetch-manager-metrics";
  private static final String LAG_MAX = "records-lag-max";

  private volatile Metric lagMax;

  ConsumerLagGauge(MeterRegistry registry) {
    Gauge.builder(NAME, this, ConsumerLagGauge::value)
        .description("Usage records the consumer has not read yet (max over its partitions)")
        .register(registry);
  }

  /** Called on the poll thread; finds the consumer-wide metric once. */
  void observe(Consumer<?, ?> consumer) {
    if (lagMax != null) {
      return;
    }
    for (Map.Entry<MetricName, ? extends Metric> entry : consumer.metrics().entrySet()) {
      MetricName name = entry.getKey();
      if (LAG_MAX.equals(name.name())
          && GROUP.equals(name.group())
          && !name.tags().containsKey("topic")) {
        lagMax = entry.getValue();
        return;
      }
    }
  }

  double value() {
    Metric metric = lagMax;
    return metric != null && metric.metricValue() instanceof Number lag
        ? lag.doubleValue()
        : Double.NaN;
  }
}
