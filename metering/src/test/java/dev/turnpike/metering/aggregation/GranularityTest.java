package dev.turnpike.metering.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GranularityTest {
  private static final Instant AT = Instant.parse("2028-02-29T23:59:59.999Z");

  @Test
  void each_granularity_truncates_to_its_utc_bucket() {
    assertThat(Granularity.MINUTE.bucketStart(AT)).isEqualTo("2028-02-29T23:59:00Z");
    assertThat(Granularity.HOUR.bucketStart(AT)).isEqualTo("2028-02-29T23:00:00Z");
    assertThat(Granularity.DAY.bucketStart(AT)).isEqualTo("2028-02-29T00:00:00Z");
    assertThat(Granularity.MONTH.bucketStart(AT)).isEqualTo("2028-02-01T00:00:00Z");
  }

  @Test
  void a_bucket_start_is_its_own_bucket() {
    Instant monthStart = Instant.parse("2028-03-01T00:00:00Z");
    for (Granularity granularity : Granularity.values()) {
      assertThat(granularity.bucketStart(monthStart)).isEqualTo(monthStart);
    }
  }
}
