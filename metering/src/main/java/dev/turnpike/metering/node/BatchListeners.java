package dev.turnpike.metering.node;

import dev.turnpike.metering.aggregation.BatchListener;
import dev.turnpike.metering.aggregation.CommitResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every registered listener about a committed batch. The batch is committed already, so a
 * listener's failure is logged and does not reach the consumer.
 */
public final class BatchListeners implements BatchListener {
  private static final Logger LOG = LoggerFactory.getLogger(BatchListeners.class);
  private final List<BatchListener> listeners = new CopyOnWriteArrayList<>();

  void add(BatchListener listener) {
    listeners.add(listener);
  }

  @Override
  public void committed(CommitResult result) {
    for (BatchListener listener : listeners) {
      try {
        listener.committed(result);
      } catch (RuntimeException e) {
        LOG.warn("batch listener {} failed: {}", listener, e.getMessage(), e);
      }
    }
  }
}
