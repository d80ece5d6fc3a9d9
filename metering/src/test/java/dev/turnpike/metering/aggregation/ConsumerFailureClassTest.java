package dev.turnpike.metering.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class ConsumerFailureClassTest {
  private static final TopicPartition PARTITION = new TopicPartition("turnpike.usage", 0);

  @Test
  void an_unknown_or_vanished_position_is_an_offset_problem() {
    assertThat(ConsumerFailureClass.of(new NoOffsetForPartitionException(PARTITION)))
        .isEqualTo(ConsumerFailureClass.OFFSET);
    assertThat(
            ConsumerFailureClass.of(new OffsetOutOfRangeException("gone", Map.of(PARTITION, 5L))))
        .isEqualTo(ConsumerFailureClass.OFFSET);
  }

  @Test
  void a_lost_database_connection_or_a_moving_leader_is_retried() {
    assertThat(
            ConsumerFailureClass.of(
                dev.turnpike.metering.aggregation.impl.SqlFailures.classify(
                    "x", new SQLException("connection refused", "08001"))))
        .isEqualTo(ConsumerFailureClass.RETRYABLE);
    assertThat(
            ConsumerFailureClass.of(
                dev.turnpike.metering.aggregation.impl.SqlFailures.classify(
                    "x", new SQLException("deadlock", "40P01"))))
        .isEqualTo(ConsumerFailureClass.RETRYABLE);
    assertThat(ConsumerFailureClass.of(new NotLeaderOrFollowerException("moved")))
        .isEqualTo(ConsumerFailureClass.RETRYABLE);
  }

  @Test
  void a_missing_column_or_lost_authorization_stops_the_service() {
    assertThat(
            ConsumerFailureClass.of(
                dev.turnpike.metering.aggregation.impl.SqlFailures.classify(
                    "x", new SQLException("column does not exist", "42703"))))
        .isEqualTo(ConsumerFailureClass.FATAL);
    assertThat(ConsumerFailureClass.of(new TopicAuthorizationException(Set.of("turnpike.usage"))))
        .isEqualTo(ConsumerFailureClass.FATAL);
  }
}
