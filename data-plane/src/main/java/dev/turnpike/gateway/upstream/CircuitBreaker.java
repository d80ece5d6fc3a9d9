package dev.turnpike.gateway.upstream;

import java.util.function.LongSupplier;

/**
 * One target's breaker: closed until {@code failures} consecutive failures open it; open, it
 * refuses every request until the cool-down has passed; then half-open, it lets one request
 * through, whose success closes it and whose failure opens it again. Shared by the node's event
 * loops, so its few fields change under its lock (uncontended in the common closed case).
 */
public final class CircuitBreaker {
  /** The state a metric shows: 0 closed, 1 half-open, 2 open. */
  public enum State {
    CLOSED,
    HALF_OPEN,
    OPEN
  }

  private final int failures;
  private final long cooldownNanos;
  private final LongSupplier nanoClock;
  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean probing;

  public CircuitBreaker(int failures, long cooldownMillis, LongSupplier nanoClock) {
    this.failures = failures;
    this.cooldownNanos = cooldownMillis * 1_000_000L;
    this.nanoClock = nanoClock;
  }

  /** Whether a request could be let through now, without taking the half-open probe slot. */
  public synchronized boolean mayPass() {
    return switch (state) {
      case CLOSED -> true;
      case OPEN -> nanoClock.getAsLong() - openedAt >= cooldownNanos;
      case HALF_OPEN -> !probing;
    };
  }

  /**
   * Takes the right to send one request: always when closed; once per cool-down when open (the
   * breaker goes half-open and the request is its probe).
   */
  public synchronized boolean tryPass() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nanoClock.getAsLong() - openedAt < cooldownNanos) {
          return false;
        }
        state = State.HALF_OPEN;
        probing = true;
        return true;
      case HALF_OPEN:
      default:
        if (probing) {
          return false;
        }
        probing = true;
        return true;
    }
  }

  public synchronized void onSuccess() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    probing = false;
  }

  public synchronized void onFailure() {
    probing = false;
    if (state == State.HALF_OPEN) {
      open();
      return;
    }
    consecutiveFailures++;
    if (state == State.CLOSED && consecutiveFailures >= failures) {
      open();
    }
  }

  private void open() {
    state = State.OPEN;
    openedAt = nanoClock.getAsLong();
    consecutiveFailures = 0;
  }

  public synchronized State state() {
    return state;
  }
}
