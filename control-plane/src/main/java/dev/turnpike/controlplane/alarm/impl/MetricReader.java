package dev.turnpike.controlplane.alarm.impl;

import dev.turnpike.db.tables.records.AlarmsRecord;
import java.time.Instant;
import org.jooq.DSLContext;

/** Where the evaluator reads an alarm's metric: metering's aggregates or Prometheus. */
interface MetricReader {
  /** Called before each round's first read. */
  default void roundStarted() {}

  /**
   * The alarm's metric over its window ending at {@code now}; never throws for a source that fails,
   * it answers {@link AlarmReading#insufficient}.
   *
   * @param tx the round's transaction, as the system role
   */
  AlarmReading read(DSLContext tx, AlarmsRecord alarm, Instant now);
}
