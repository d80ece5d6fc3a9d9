package dev.turnpike.gateway.upstream;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * How many retries an upstream may send, so that retries cannot multiply the load on a failing
 * backend: over a sliding window of one-second buckets, retries stay under {@code ratio} of the
 * requests plus {@code minPerSecond} per second of the window (Finagle's and Envoy's retry budget).
 */
final class RetryBudget {
  private final double ratio;
  private final int minPerSecond;
  private final LongSupplier nanoClock;
  private final long[] requests;
  private final long[] retries;
  private final long[] bucketSecond;

  RetryBudget(UpstreamSettings settings, LongSupplier nanoClock) {
    this.ratio = settings.retryRatio();
    this.minPerSecond = settings.minRetriesPerSecond();
    this.nanoClock = nanoClock;
    int window = settings.budgetWindowSeconds();
    this.requests = new long[window];
    this.retries = new long[window];
    this.bucketSecond = new long[window];
    Arrays.fill(bucketSecond, Long.MIN_VALUE);
  }

  synchronized void onRequest() {
    requests[bucket()]++;
  }

  /** Takes one retry from the budget, or answers false when it is spent. */
  synchronized boolean tryRetry() {
    int current = bucket();
    long requestSum = 0;
    long retrySum = 0;
    for (int i = 0; i < requests.length; i++) {
      requestSum += requests[i];
      retrySum += retries[i];
    }
    long allowed = (long) (ratio * requestSum) + (long) minPerSecond * requests.length;
    if (retrySum >= allowed) {
      return false;
    }
    retries[current]++;
    return true;
  }

  private int bucket() {
    long second = Math.floorDiv(nanoClock.getAsLong(), 1_000_000_000L);
    int index = (int) Math.floorMod(second, (long) requests.length);
    if (bucketSecond[index] != second) {
      bucketSecond[index] = second;
      requests[index] = 0;
      retries[index] = 0;
    }
    // Buckets older than the window that were not reused are dropped as they are reached; stale
    // ones in between are cleared here so a quiet spell does not keep old counts.
    for (int i = 0; i < requests.length; i++) {
      if (bucketSecond[i] != Long.MIN_VALUE && second - bucketSecond[i] >= requests.length) {
        bucketSecond[i] = Long.MIN_VALUE;
        requests[i] = 0;
        retries[i] = 0;
      }
    }
    return index;
  }
}
