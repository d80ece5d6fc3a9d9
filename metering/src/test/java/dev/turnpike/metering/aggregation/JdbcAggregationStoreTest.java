package dev.turnpike.metering.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.metering.MeteringFixture;
import dev.turnpike.metering.MeteringFixture.Subscriber;
import dev.turnpike.metering.aggregation.impl.JdbcAggregationStore;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
class JdbcAggregationStoreTest {
  private static final String GROUP = "test-group";
  private static final Instant AT = Instant.parse("2026-03-14T15:09:26.535Z");

  private final MeteringFixture fixture;
  private final JdbcAggregationStore store;
  private Subscriber subscriber;

  JdbcAggregationStoreTest(TestDatabase database) {
    this.fixture = new MeteringFixture(database.ownerDataSource());
    this.store = new JdbcAggregationStore(database.meteringDataSource());
  }

  @BeforeEach
  void subscriber() {
    subscriber = fixture.subscriber(100L, 0, "DAY", AT.minusSeconds(86_400 * 30));
  }

  private CommitResult commit(List<UsageEvent> events, long nextOffset) {
    return store.commit(
        GROUP, new UsageBatch(events, List.of(new PartitionOffset("usage", 0, nextOffset))));
  }

  private long sum(String column, String granularity) {
    return fixture.queryLong(
        "SELECT coalesce(sum("
            + column
            + "), 0) FROM usage_aggregates"
            + " WHERE key_id = ? AND granularity = ?",
        subscriber.keyId(),
        granularity);
  }

  /** The event as its stage's canary deployment served it. */
  private static UsageEvent onCanary(UsageEvent event) {
    return event.toBuilder().canary(true).build();
  }

  private long release(String column, boolean canary) {
    return fixture.queryLong(
        "SELECT coalesce(sum("
            + column
            + "), 0) FROM release_aggregates WHERE tenant_id = ?::uuid AND api_id = 'api-1'"
            + " AND stage = 'prod' AND canary = ?",
        subscriber.tenantId(),
        canary);
  }

  @Nested
  class Releases {
    @Test
    void splits_a_stage_hour_by_the_side_that_served_each_call_exactly_once() {
      UsageEvent failedOnCanary =
          onCanary(subscriber.event(AT.plusSeconds(2), 502, Outcome.INTEGRATION_FAILURE, 9_000));
      assertThat(failedOnCanary.canary()).isTrue();
      commit(
          List.of(
              subscriber.event(AT, 200, Outcome.SERVED, 1_000),
              subscriber.event(AT.plusSeconds(1), 404, Outcome.SERVED, 3_000),
              failedOnCanary),
          3);
      commit(List.of(failedOnCanary), 4);

      assertThat(release("calls", false)).isEqualTo(2);
      assertThat(release("errors_4xx", false)).isEqualTo(1);
      assertThat(release("errors_5xx", false)).isZero();
      assertThat(release("latency_sum_micros", false)).isEqualTo(4_000);
      assertThat(release("calls", true)).isEqualTo(1);
      assertThat(release("errors_5xx", true)).isEqualTo(1);
      assertThat(release("latency_max_micros", true)).isEqualTo(9_000);
      assertThat(
              fixture.queryTimestamp(
                  "SELECT bucket_start FROM release_aggregates WHERE canary AND tenant_id ="
                      + " ?::uuid",
                  subscriber.tenantId()))
          .isEqualTo(java.sql.Timestamp.from(Instant.parse("2026-03-14T15:00:00Z")));
    }
  }

  @Nested
  class Aggregates {
    @Test
    void counts_each_event_at_every_granularity_with_its_error_class_bytes_and_latency() {
      commit(
          List.of(
              subscriber.event(AT, 200, Outcome.SERVED, 1_000),
              subscriber.event(AT.plusSeconds(1), 404, Outcome.SERVED, 3_000),
              subscriber.event(AT.plusSeconds(2), 502, Outcome.INTEGRATION_FAILURE, 9_000),
              subscriber.event(AT.plusSeconds(3), 429, Outcome.THROTTLED, 10),
              subscriber.event(AT.plusSeconds(4), 429, Outcome.QUOTA_EXCEEDED, 10)),
          5);

      for (String granularity : List.of("minute", "hour", "day", "month")) {
        assertThat(sum("calls", granularity)).as(granularity).isEqualTo(5);
        assertThat(sum("errors_4xx", granularity)).isEqualTo(3);
        assertThat(sum("errors_5xx", granularity)).isEqualTo(1);
        assertThat(sum("throttled", granularity)).isEqualTo(1);
        assertThat(sum("quota_exceeded", granularity)).isEqualTo(1);
        assertThat(sum("bytes_in", granularity)).isEqualTo(50);
        assertThat(sum("bytes_out", granularity)).isEqualTo(500);
        assertThat(sum("latency_sum_micros", granularity)).isEqualTo(13_020);
        assertThat(sum("latency_max_micros", granularity)).isEqualTo(9_000);
      }
      assertThat(
              fixture.queryTimestamp(
                  "SELECT bucket_start FROM usage_aggregates WHERE key_id = ? AND granularity ="
                      + " 'month'",
                  subscriber.keyId()))
          .isEqualTo(java.sql.Timestamp.from(Instant.parse("2026-03-01T00:00:00Z")));
    }

    @Test
    void adds_later_batches_to_the_same_buckets_and_keeps_the_larger_latency_max() {
      commit(List.of(subscriber.event(AT, 200, Outcome.SERVED, 7_000)), 1);
      commit(List.of(subscriber.event(AT.plusSeconds(1), 200, Outcome.SERVED, 2_000)), 2);

      assertThat(sum("calls", "minute")).isEqualTo(2);
      assertThat(
              fixture.queryLong(
                  "SELECT count(*) FROM usage_aggregates WHERE key_id = ? AND granularity ="
                      + " 'minute'",
                  subscriber.keyId()))
          .isEqualTo(1);
      assertThat(sum("latency_max_micros", "minute")).isEqualTo(7_000);
    }

    @Test
    void passes_over_events_of_a_tenant_the_database_does_not_hold() {
      Subscriber stranger =
          new Subscriber(UUID.randomUUID().toString(), "plan", "app", UUID.randomUUID().toString());

      CommitResult result =
          commit(
              List.of(
                  stranger.event(AT, 200, Outcome.SERVED, 1),
                  subscriber.event(AT, 200, Outcome.SERVED, 1)),
              2);

      assertThat(result.counted()).isEqualTo(2);
      assertThat(
              fixture.queryLong(
                  "SELECT count(*) FROM usage_aggregates WHERE key_id = ?", stranger.keyId()))
          .isZero();
      assertThat(sum("calls", "day")).isEqualTo(1);
    }
  }

  @Nested
  class Dedup {
    @Test
    void counts_an_event_id_repeated_within_a_batch_once() {
      UUID id = UUID.randomUUID();
      CommitResult result =
          commit(
              List.of(
                  subscriber.event(id, AT, 200, Outcome.SERVED, 1),
                  subscriber.event(id, AT, 200, Outcome.SERVED, 1)),
              2);

      assertThat(result.counted()).isEqualTo(1);
      assertThat(result.duplicates()).isEqualTo(1);
      assertThat(sum("calls", "day")).isEqualTo(1);
    }

    @Test
    void counts_an_event_id_redelivered_in_a_later_batch_once() {
      UsageEvent event = subscriber.event(AT, 200, Outcome.SERVED, 1);
      commit(List.of(event), 1);

      CommitResult again = commit(List.of(event), 2);

      assertThat(again.counted()).isZero();
      assertThat(sum("calls", "day")).isEqualTo(1);
    }

    @Test
    void counts_an_event_id_again_once_the_window_forgot_it() {
      UsageEvent event = subscriber.event(AT, 200, Outcome.SERVED, 1);
      commit(List.of(event), 1);

      int forgotten = store.forgetEventsBefore(Instant.now().plusSeconds(1), 1_000_000);
      commit(List.of(event), 2);

      assertThat(forgotten).isPositive();
      assertThat(sum("calls", "day")).isEqualTo(2);
    }

    @Test
    void keeps_event_ids_younger_than_the_cutoff() {
      commit(List.of(subscriber.event(AT, 200, Outcome.SERVED, 1)), 1);

      assertThat(store.forgetEventsBefore(Instant.now().minusSeconds(3_600), 10)).isZero();
    }
  }

  @Nested
  class Offsets {
    @Test
    void stores_the_next_offset_with_the_batch() {
      commit(List.of(subscriber.event(AT, 200, Outcome.SERVED, 1)), 42);

      assertThat(store.storedOffsets(GROUP, "usage", List.of(0, 1))).isEqualTo(Map.of(0, 42L));
    }

    @Test
    void never_moves_a_stored_offset_back() {
      commit(List.of(), 42);
      commit(List.of(), 17);

      assertThat(store.storedOffsets(GROUP, "usage", List.of(0))).isEqualTo(Map.of(0, 42L));
    }
  }

  @Nested
  class KeyUse {
    @Test
    void moves_last_used_at_to_the_latest_event_and_never_back() {
      commit(
          List.of(
              subscriber.event(AT.plusSeconds(5), 200, Outcome.SERVED, 1),
              subscriber.event(AT, 200, Outcome.SERVED, 1)),
          2);
      commit(List.of(subscriber.event(AT.minusSeconds(60), 200, Outcome.SERVED, 1)), 3);

      assertThat(
              fixture
                  .queryTimestamp(
                      "SELECT last_used_at FROM api_keys WHERE id = ?::uuid", subscriber.keyId())
                  .toInstant())
          .isEqualTo(AT.plusSeconds(5));
    }

    @Test
    void reports_the_keys_and_plans_a_batch_touched() {
      CommitResult result = commit(List.of(subscriber.event(AT, 200, Outcome.SERVED, 1)), 1);

      assertThat(result.keyPlans())
          .containsExactly(
              new KeyPlan(
                  UUID.fromString(subscriber.tenantId()),
                  subscriber.keyId(),
                  subscriber.appId(),
                  subscriber.planId()));
    }
  }
}
