package dev.turnpike.metering.aggregation;

import dev.turnpike.contracts.usage.UsageEvent;
import java.util.List;

/**
 * The events of one poll, ready to commit, and the positions to store with them.
 *
 * @param events decoded events that name a tenant, possibly with repeated event ids
 * @param nextOffsets per partition polled, the offset after the batch's last record
 */
public record UsageBatch(List<UsageEvent> events, List<PartitionOffset> nextOffsets) {
  public UsageBatch {
    events = List.copyOf(events);
    nextOffsets = List.copyOf(nextOffsets);
  }
}
