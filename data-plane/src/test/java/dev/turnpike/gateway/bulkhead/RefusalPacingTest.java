package dev.turnpike.gateway.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.settings.SettingsReader;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RefusalPacingTest {
  final AtomicLong nanos = new AtomicLong(123_456_789L);
  final RefusalPacing pacing = new RefusalPacing(new RefusalPacingSettings(100, 1_000), nanos::get);

  @Test
  void a_burst_of_one_seconds_refusals_is_answered_at_once_and_later_ones_wait_their_turn() {
    assertThat(IntStream.range(0, 100).mapToLong(i -> pacing.holdMillis("t-noisy")))
        .containsOnly(0L);

    assertThat(pacing.holdMillis("t-noisy")).isEqualTo(10);
    assertThat(pacing.holdMillis("t-noisy")).isEqualTo(20);
    assertThat(pacing.held("t-noisy")).isEqualTo(2);
    assertThat(pacing.heldTotal()).isEqualTo(2);
  }

  @Test
  void a_client_sending_as_soon_as_it_is_answered_is_slowed_to_the_pace() {
    // One connection, closed loop: each request goes out the moment the last answer came back.
    int refusals = 0;
    long end = nanos.get() + TimeUnit.SECONDS.toNanos(10);
    while (nanos.get() < end) {
      long hold = pacing.holdMillis("t-noisy");
      refusals++;
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(hold) + 20_000); // + 20 us to answer
      if (hold > 0) {
        pacing.released("t-noisy");
      }
    }

    // The burst, then 100 a second: without pacing, 20 us each would be 500,000 in 10 s.
    assertThat(refusals).isBetween(1_000, 1_100 + 1);
  }

  @Test
  void under_the_pace_nothing_is_ever_held() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(pacing.holdMillis("t-busy")).isZero();
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(11)); // 91 a second
    }
    assertThat(pacing.heldTotal()).isZero();
  }

  @Test
  void one_tenants_flood_holds_nothing_of_another_tenant() {
    IntStream.range(0, 150).forEach(i -> pacing.holdMillis("t-noisy"));

    assertThat(pacing.holdMillis("t-quiet")).isZero();
    assertThat(pacing.held("t-quiet")).isZero();
    assertThat(pacing.held("t-noisy")).isEqualTo(50);
  }

  @Test
  void past_the_most_held_at_once_a_refusal_is_answered_at_once_until_one_is_released() {
    RefusalPacing small = new RefusalPacing(new RefusalPacingSettings(1, 2), nanos::get);
    assertThat(small.holdMillis("t-noisy")).as("the burst").isZero();
    assertThat(small.holdMillis("t-noisy")).isEqualTo(1_000);
    assertThat(small.holdMillis("t-noisy")).isEqualTo(2_000);

    assertThat(small.holdMillis("t-noisy")).as("a third held at once").isZero();
    small.released("t-noisy");
    assertThat(small.holdMillis("t-noisy"))
        .as("no slot taken by the one answered at once")
        .isEqualTo(3_000);
    assertThat(small.heldNow()).isEqualTo(2);
  }

  @Test
  void turned_off_it_holds_nothing() {
    RefusalPacing off = RefusalPacing.off();

    assertThat(IntStream.range(0, 10_000).mapToLong(i -> off.holdMillis("t-noisy")))
        .containsOnly(0L);
    assertThat(off.heldTotal()).isZero();
  }

  @Test
  void a_tenant_idle_for_a_minute_with_nothing_held_is_forgotten() {
    IntStream.range(0, 101).forEach(i -> pacing.holdMillis("t-noisy"));
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(61));

    pacing.evictIdle();
    assertThat(pacing.held("t-noisy")).as("still held: kept").isEqualTo(1);
    pacing.released("t-noisy");
    pacing.evictIdle();

    assertThat(pacing.heldNow()).isZero();
    assertThat(IntStream.range(0, 100).mapToLong(i -> pacing.holdMillis("t-noisy")))
        .as("a new flood starts with a full burst")
        .containsOnly(0L);
  }

  @Test
  void settings_default_to_a_thousand_a_second_and_refuse_nonsense() {
    assertThat(RefusalPacingSettings.read(new SettingsReader(Map.of())))
        .isEqualTo(RefusalPacingSettings.DEFAULTS)
        .isEqualTo(new RefusalPacingSettings(1_000, 10_000));

    assertThatThrownBy(() -> new RefusalPacingSettings(10, 0))
        .isInstanceOf(IllegalArgumentException.class);
    SettingsReader bad =
        new SettingsReader(Map.of("TURNPIKE_GATEWAY_TENANT_REFUSALS_PER_SECOND", "-1"));
    RefusalPacingSettings.read(bad);
    assertThatThrownBy(() -> bad.failOnProblems("gateway"))
        .hasMessageContaining("TURNPIKE_GATEWAY_TENANT_REFUSALS_PER_SECOND");
  }
}
