package dev.turnpike.metering.aggregation;

import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventDecoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes usage records. A record that is not a usage event, or names no event id, time or tenant,
 * cannot be counted; it is logged and passed over so one bad producer cannot stop metering.
 */
final class UsageEventReader {
  private static final Logger LOG = LoggerFactory.getLogger(UsageEventReader.class);

  private UsageEventReader() {}

  static UsageEvent read(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    UsageEvent event;
    try {
      event = UsageEventDecoder.decode(record.value());
    } catch (RuntimeException e) {
      LOG.warn(
          "skipping undecodable usage record {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return null;
    }
    if (event.eventId() == null || event.timestamp() == null) {
      LOG.warn(
          "skipping usage record {}-{}@{} without event id or timestamp",
          record.topic(),
          record.partition(),
          record.offset());
      return null;
    }
    // Requests that matched no stage belong to no tenant: the gateway's metrics count them.
    return BatchAggregates.tenantOf(event) == null ? null : event;
  }
}
