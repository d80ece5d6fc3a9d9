package dev.turnpike.metering.aggregation;

/**
 * A store operation that did not happen. Retryable ones (connection lost, serialization conflict,
 * deadlock, server shutting down) succeed on a later attempt with the same input; the others mean
 * the schema or the data is not what this code expects, and retrying cannot help.
 */
public final class StoreFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public StoreFailure(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
