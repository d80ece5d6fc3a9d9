package dev.turnpike.metering.aggregation;

/** Told about every committed batch, on the consumer thread: must return quickly. */
@FunctionalInterface
public interface BatchListener {
  void committed(CommitResult result);
}
