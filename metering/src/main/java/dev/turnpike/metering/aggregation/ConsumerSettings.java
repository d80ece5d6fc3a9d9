package dev.turnpike.metering.aggregation;

import dev.turnpike.settings.KafkaSecurity;
import java.time.Duration;

/**
 * How the usage consumer reads its topic.
 *
 * @param security how the consumer authenticates to Kafka
 * @param instanceId Kafka static membership id; a restarted instance with the same id takes its
 *     partitions back at once instead of after the session timeout. Null for dynamic membership.
 * @param commitThreads how many partitions of one poll commit at once, each in a transaction of its
 *     own (a key's events stay on one partition, so they never touch the same rows)
 * @param resetToEarliest where to start a partition with no stored offset, or whose stored offset
 *     the log no longer holds: its beginning (true) or its end
 */
public record ConsumerSettings(
    String bootstrapServers,
    KafkaSecurity security,
    String topic,
    String group,
    String instanceId,
    int maxPollRecords,
    int commitThreads,
    Duration pollTimeout,
    Duration sessionTimeout,
    Duration retryBackoffMin,
    Duration retryBackoffMax,
    boolean resetToEarliest) {}
