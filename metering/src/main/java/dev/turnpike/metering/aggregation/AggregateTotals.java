package dev.turnpike.metering.aggregation;

import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;

/** The counters of one aggregate bucket, summed over the events of one batch. */
public final class AggregateTotals {
  private long calls;
  private long errors4xx;
  private long errors5xx;
  private long throttled;
  private long quotaExceeded;
  private long bytesIn;
  private long bytesOut;
  private long latencySumMicros;
  private long latencyMaxMicros;
  private long messages;
  private long connectionMillis;

  void add(UsageEvent event) {
    calls++;
    int status = event.status();
    if (status >= 400 && status < 500) {
      errors4xx++;
    } else if (status >= 500 && status < 600) {
      errors5xx++;
    }
    if (event.outcome() == Outcome.THROTTLED) {
      throttled++;
    } else if (event.outcome() == Outcome.QUOTA_EXCEEDED) {
      quotaExceeded++;
    }
    bytesIn += Math.max(0, event.bytesIn());
    bytesOut += Math.max(0, event.bytesOut());
    long latency = Math.max(0, event.latencyMicros());
    latencySumMicros += latency;
    latencyMaxMicros = Math.max(latencyMaxMicros, latency);
    // WebSocket APIs: what plans price besides calls.
    if (MESSAGE.equals(event.webSocketEvent()) && status < 400) {
      messages++;
    } else if (DISCONNECT.equals(event.webSocketEvent())) {
      connectionMillis += Math.max(0, event.connectionMillis());
    }
  }

  private static final String MESSAGE = "MESSAGE";
  private static final String DISCONNECT = "DISCONNECT";

  void add(AggregateTotals other) {
    calls += other.calls;
    errors4xx += other.errors4xx;
    errors5xx += other.errors5xx;
    throttled += other.throttled;
    quotaExceeded += other.quotaExceeded;
    bytesIn += other.bytesIn;
    bytesOut += other.bytesOut;
    latencySumMicros += other.latencySumMicros;
    latencyMaxMicros = Math.max(latencyMaxMicros, other.latencyMaxMicros);
    messages += other.messages;
    connectionMillis += other.connectionMillis;
  }

  /** WebSocket messages answered below 400. */
  public long messages() {
    return messages;
  }

  /** How long the WebSocket connections that closed were open, in milliseconds. */
  public long connectionMillis() {
    return connectionMillis;
  }

  public long calls() {
    return calls;
  }

  public long errors4xx() {
    return errors4xx;
  }

  public long errors5xx() {
    return errors5xx;
  }

  public long throttled() {
    return throttled;
  }

  public long quotaExceeded() {
    return quotaExceeded;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public long bytesOut() {
    return bytesOut;
  }

  public long latencySumMicros() {
    return latencySumMicros;
  }

  public long latencyMaxMicros() {
    return latencyMaxMicros;
  }
}
