package dev.turnpike.controlplane.web;

import java.util.Arrays;

/** The latencies of one kind of request, in nanoseconds, and how many of them failed. */
final class Latencies {
  private long[] nanos = new long[1024];
  private int count;
  private long errors;
  private boolean sorted = true;

  void add(long latency, boolean failed) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = latency;
    errors += failed ? 1 : 0;
    sorted = false;
  }

  void addAll(Latencies other) {
    if (count + other.count > nanos.length) {
      nanos = Arrays.copyOf(nanos, Math.max(nanos.length * 2, count + other.count));
    }
    System.arraycopy(other.nanos, 0, nanos, count, other.count);
    count += other.count;
    errors += other.errors;
    sorted = false;
  }

  long count() {
    return count;
  }

  /** The nearest-rank percentile, {@code share} in (0, 1]; 0 when there is none. */
  long percentile(double share) {
    if (count == 0) {
      return 0;
    }
    if (!sorted) {
      Arrays.sort(nanos, 0, count);
      sorted = true;
    }
    int rank = (int) Math.ceil(share * count);
    return nanos[Math.max(0, Math.min(count, rank) - 1)];
  }

  /** A row of the report: count, p50, p99, max in milliseconds, errors. */
  String line(String label) {
    return String.format(
        "%-16s %8d %8.1f %8.1f %8.1f %7d",
        label,
        count,
        percentile(0.50) / 1e6,
        percentile(0.99) / 1e6,
        percentile(1.0) / 1e6,
        errors);
  }
}
