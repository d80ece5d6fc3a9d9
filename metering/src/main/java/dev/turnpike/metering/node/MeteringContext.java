package dev.turnpike.metering.node;

import dev.turnpike.metering.aggregation.BatchListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/**
 * What a {@link MeteringComponent} gets to work with.
 *
 * @param database the pooled metering login (role turnpike_metering, BYPASSRLS)
 * @param scheduler shared timers; blocking work scheduled here must be short
 */
public record MeteringContext(
    MeteringSettings settings,
    DataSource database,
    MeterRegistry registry,
    Clock clock,
    ScheduledExecutorService scheduler,
    BatchListeners batchListeners) {

  /** Registers a listener told about every committed usage batch, on the consumer thread. */
  public void onBatchCommitted(BatchListener listener) {
    batchListeners.add(listener);
  }
}
