package dev.turnpike.gateway.config;

import static dev.turnpike.gateway.config.ConfigFeedTest.WAIT;
import static dev.turnpike.gateway.config.ConfigFeedTest.awaitReady;
import static dev.turnpike.gateway.config.ConfigFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class ConfigFeedMetricsTest {
  private final ConfigTopics topics = ConfigFixtures.uniqueTopics();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void exposes_version_lag_readiness_decode_errors_and_last_applied_to_prometheus(
      KafkaBroker kafka, @TempDir Path dir) throws Exception {
    try (ConfigPublisher publisher = ConfigPublisher.create(kafka, topics, 1)) {
      publisher
          .plan(plan("t-1", "plan-1", "Gold"))
          .raw(topics.deployments(), "t-1/api-1/prod", "[]".getBytes(StandardCharsets.UTF_8))
          .flush();
    }
    long startedAtSeconds = Instant.now().getEpochSecond();
    ConfigFeed feed =
        ConfigFeed.start(
            ConfigFeedTest.config(
                kafka.bootstrapServers(), topics, dir.resolve("config.json"), Map.of()),
            state -> {},
            registry);
    try {
      awaitReady(feed);
      Await.until(
          WAIT, () -> value("turnpike_config_lag_records") == 0.0, "the lag is known to be 0");

      assertThat(value("turnpike_config_ready")).isEqualTo(1.0);
      assertThat(value("turnpike_config_version")).isEqualTo(feed.state().version());
      assertThat(value("turnpike_config_last_applied_seconds"))
          .isGreaterThanOrEqualTo(startedAtSeconds);
      assertThat(
              value("turnpike_config_decode_errors_total{topic=\"" + topics.deployments() + "\"}"))
          .isEqualTo(1.0);
      assertThat(value("turnpike_config_decode_errors_total{topic=\"" + topics.plans() + "\"}"))
          .isZero();
    } finally {
      feed.close();
    }
    assertThat(registry.scrape()).doesNotContain("turnpike_config_");
  }

  /** The value of one sample in the scrape, or NaN when it is not there. */
  private double value(String sample) {
    Matcher matcher =
        Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(registry.scrape());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }
}
