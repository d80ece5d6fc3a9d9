package dev.turnpike.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class KafkaHealthTest {
  private static final long UNHEALTHY_AFTER = TimeUnit.MILLISECONDS.toNanos(300);
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final KafkaHealth health = new KafkaHealth(UNHEALTHY_AFTER, 0);

  @Nested
  class TurnsUnhealthy {
    @Test
    void when_records_go_unacknowledged_for_longer_than_unhealthy_after() {
      health.sending(0);
      health.sending(100 * MS);

      assertThat(health.refresh(300 * MS)).isTrue();
      assertThat(health.refresh(301 * MS)).isFalse();
    }

    @Test
    void not_while_acknowledgements_keep_coming() {
      health.sending(0);
      health.sending(0);
      health.acknowledged(250 * MS);
      health.sending(260 * MS);

      assertThat(health.refresh(500 * MS)).isTrue();
    }

    @Test
    void not_while_idle_however_long() {
      health.sending(0);
      health.acknowledged(1 * MS);

      assertThat(health.refresh(10_000 * MS)).isTrue();
    }

    @Test
    void times_a_stall_from_the_first_send_after_idling() {
      health.sending(0);
      health.acknowledged(0);
      health.sending(10_000 * MS);

      assertThat(health.refresh(10_200 * MS)).isTrue();
      assertThat(health.refresh(10_301 * MS)).isFalse();
    }

    @Test
    void when_a_send_is_refused_or_fails() {
      health.sending(0);
      health.refused("no metadata");
      assertThat(health.refresh(1 * MS)).isFalse();

      KafkaHealth other = new KafkaHealth(UNHEALTHY_AFTER, 0);
      other.sending(0);
      other.failedAfterSending("aborted");
      assertThat(other.refresh(1 * MS)).isFalse();
    }

    @Test
    void not_when_kafka_rejects_one_record_for_what_it_is() {
      health.sending(0);
      health.rejected(1 * MS);

      assertThat(health.refresh(2 * MS)).isTrue();
      assertThat(health.outstanding()).isZero();
    }
  }

  @Nested
  class TurnsHealthyAgain {
    @Test
    void on_an_acknowledgement_after_it_turned_unhealthy() {
      health.sending(0);
      assertThat(health.refresh(400 * MS)).isFalse();
      assertThat(health.refresh(800 * MS)).isFalse();

      health.acknowledged(900 * MS);

      assertThat(health.refresh(901 * MS)).isTrue();
      assertThat(health.healthy()).isTrue();
    }

    @Test
    void only_on_an_acknowledgement_newer_than_the_latest_failure() {
      health.sending(0);
      health.sending(0);
      health.refused("no metadata");
      assertThat(health.refresh(1 * MS)).isFalse();

      health.acknowledged(2 * MS);
      health.sending(3 * MS);
      health.refused("no metadata");
      assertThat(health.refresh(4 * MS)).isFalse();
      assertThat(health.refresh(5 * MS)).isFalse();

      health.sending(6 * MS);
      health.acknowledged(7 * MS);
      assertThat(health.refresh(8 * MS)).isTrue();
    }
  }
}
