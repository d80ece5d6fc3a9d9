package dev.turnpike.infra.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a gateway node spends its time, from a flight recording of the full-chain scenario: CPU
 * samples by thread, by library layer and by method (self and inclusive), each sample charged to
 * the Turnpike method nearest the top of its stack (what in the gateway's own code caused that
 * work), allocations by class and by Turnpike method, and GC pauses.
 *
 * <p>CPU samples come from {@code jdk.CPUTimeSample} when the recording has them (JDK 25+, Linux:
 * sampled on CPU time, so time in native code and in the kernel, such as socket reads and writes,
 * counts), else from {@code jdk.ExecutionSample}, which sees threads only while they run Java code.
 *
 * <p>Usage: {@code JfrSummary recording.jfr [rows]}.
 */
public final class JfrSummary {
  private static final String OWN_PACKAGE = "dev.turnpike.";

  private final Samples cpuTime = new Samples("jdk.CPUTimeSample", "eventThread");
  private final Samples execution = new Samples("jdk.ExecutionSample", "sampledThread");
  private final Counter allocationSamplesByClass = new Counter();
  private final Counter allocationSamplesByOwnCaller = new Counter();
  private final Map<String, long[]> allocatedByThread = new HashMap<>();
  private long gcCount;
  private Duration gcPauses = Duration.ZERO;
  private Duration longestPause = Duration.ZERO;
  private double jvmCpuSum;
  private double machineCpuSum;
  private long cpuReadings;
  private Instant first;
  private Instant last;

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrSummary recording.jfr [rows]");
      System.exit(2);
    }
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    JfrSummary summary = new JfrSummary();
    try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
      while (recording.hasMoreEvents()) {
        summary.accept(recording.readEvent());
      }
    }
    summary.print(rows);
  }

  private void accept(RecordedEvent event) {
    Instant at = event.getStartTime();
    first = first == null || at.isBefore(first) ? at : first;
    last = last == null || at.isAfter(last) ? at : last;
    switch (event.getEventType().getName()) {
      case "jdk.CPUTimeSample" -> cpuTime.add(event);
      case "jdk.ExecutionSample" -> execution.add(event);
      case "jdk.ObjectAllocationSample" -> allocationSample(event);
      case "jdk.ThreadAllocationStatistics" -> threadAllocation(event);
      case "jdk.GarbageCollection" -> {
        gcCount++;
        Duration pauses = event.getDuration("sumOfPauses");
        gcPauses = gcPauses.plus(pauses);
        longestPause =
            event.getDuration("longestPause").compareTo(longestPause) > 0
                ? event.getDuration("longestPause")
                : longestPause;
      }
      case "jdk.CPULoad" -> {
        jvmCpuSum += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
        machineCpuSum += event.getFloat("machineTotal");
        cpuReadings++;
      }
      default -> {
        // Other events are not summarized here; `jfr view` shows them.
      }
    }
  }

  /**
   * Counted by samples, not by their weight: a sample's weight is all the thread allocated since
   * its previous sample, so one large allocation after a quiet spell can take a third of the total.
   */
  private void allocationSample(RecordedEvent event) {
    allocationSamplesByClass.add(event.getClass("objectClass").getName(), 1);
    RecordedStackTrace stack = event.getStackTrace();
    allocationSamplesByOwnCaller.add(
        stack == null ? "(no stack)" : nearestOwnFrame(stack.getFrames()), 1);
  }

  /** Keeps each thread's first and last allocation counter and when they were read. */
  private void threadAllocation(RecordedEvent event) {
    RecordedThread thread = event.getThread("thread");
    if (thread == null) {
      return;
    }
    long at = event.getStartTime().toEpochMilli();
    long allocated = event.getLong("allocated");
    String name = threadGroup(thread.getJavaName()) + " (" + thread.getJavaThreadId() + ")";
    long[] span =
        allocatedByThread.computeIfAbsent(
            name, ignored -> new long[] {at, allocated, at, allocated});
    if (at < span[0]) {
      span[0] = at;
      span[1] = allocated;
    }
    if (at > span[2]) {
      span[2] = at;
      span[3] = allocated;
    }
  }

  private void print(int rows) {
    double seconds = first == null ? 0 : Duration.between(first, last).toMillis() / 1000.0;
    System.out.printf(Locale.ROOT, "recording: %.1f s%n", seconds);
    if (cpuReadings > 0) {
      System.out.printf(
          Locale.ROOT,
          "CPU: gateway JVM %.0f%% of the machine, machine total %.0f%% (all cores = 100%%)%n",
          100 * jvmCpuSum / cpuReadings,
          100 * machineCpuSum / cpuReadings);
    }
    System.out.printf(
        Locale.ROOT,
        "GC: %d collections, %d ms paused in total, longest pause %d ms%n",
        gcCount,
        gcPauses.toMillis(),
        longestPause.toMillis());
    if (cpuTime.count > 0) {
      cpuTime.print(
          "CPU-time samples (jdk.CPUTimeSample: Java, native and kernel time on the CPU)", rows);
    } else {
      execution.print(
          "execution samples (jdk.ExecutionSample: Java code only; time in native code and the"
              + " kernel, e.g. socket reads and writes, is not sampled)",
          rows);
    }
    printAllocationRates();
    long samples = allocationSamplesByClass.total();
    allocationSamplesByClass.print("allocation samples by class", samples, rows);
    allocationSamplesByOwnCaller.print(
        "allocation samples by nearest Turnpike method", samples, rows);
  }

  private void printAllocationRates() {
    System.out.printf("%n== allocation rate by thread (jdk.ThreadAllocationStatistics)%n");
    double total = 0;
    List<Map.Entry<String, Double>> rates = new java.util.ArrayList<>();
    for (Map.Entry<String, long[]> entry : allocatedByThread.entrySet()) {
      long[] span = entry.getValue();
      if (span[2] > span[0]) {
        double rate = (span[3] - span[1]) / ((span[2] - span[0]) / 1000.0) / 1e6;
        total += rate;
        rates.add(Map.entry(entry.getKey(), rate));
      }
    }
    System.out.printf(Locale.ROOT, "  %7.1f MB/s  all threads%n", total);
    rates.stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(6)
        .forEach(
            e -> System.out.printf(Locale.ROOT, "  %7.1f MB/s  %s%n", e.getValue(), e.getKey()));
  }

  /** The Turnpike method nearest the top of the stack, or the thread's library if there is none. */
  private static String nearestOwnFrame(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      if (frame.getMethod().getType().getName().startsWith(OWN_PACKAGE)) {
        return methodName(frame);
      }
    }
    if (frames.isEmpty()) {
      return "(empty stack)";
    }
    return "(no Turnpike frame: "
        + layer(frames.get(frames.size() - 1).getMethod().getType().getName())
        + " thread)";
  }

  private static String methodName(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
  }

  static String layer(String className) {
    if (className.startsWith(OWN_PACKAGE)) {
      return "turnpike";
    }
    if (className.startsWith("io.netty.")) {
      return "netty";
    }
    if (className.startsWith("io.vertx.")) {
      return "vert.x";
    }
    if (className.startsWith("org.apache.kafka.")) {
      return "kafka client";
    }
    if (className.startsWith("com.fasterxml.jackson.")) {
      return "jackson";
    }
    if (className.startsWith("io.micrometer.")) {
      return "micrometer";
    }
    if (className.startsWith("sun.security.")
        || className.startsWith("com.sun.crypto.")
        || className.startsWith("java.security.")) {
      return "jdk crypto";
    }
    if (className.startsWith("java.util.concurrent.")) {
      return "jdk concurrent";
    }
    if (className.startsWith("sun.nio.") || className.startsWith("java.nio.")) {
      return "jdk nio";
    }
    if (className.startsWith("java.")
        || className.startsWith("jdk.")
        || className.startsWith("sun.")) {
      return "jdk other";
    }
    return "other";
  }

  /** Thread names without their trailing number, so a pool shows as one line. */
  static String threadGroup(String name) {
    if (name == null) {
      return "(unknown)";
    }
    return name.replaceAll("\\d+$", "#");
  }

  /** One kind of CPU sample, counted by thread, by layer, by method and by Turnpike method. */
  private static final class Samples {
    private final String eventName;
    private final String threadField;
    private final Counter threads = new Counter();
    private final Counter layers = new Counter();
    private final Counter selfMethods = new Counter();
    private final Counter inclusiveOwnMethods = new Counter();
    private final Counter ownCallers = new Counter();
    private long count;

    Samples(String eventName, String threadField) {
      this.eventName = eventName;
      this.threadField = threadField;
    }

    void add(RecordedEvent event) {
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        return;
      }
      count++;
      RecordedThread thread = event.getThread(threadField);
      threads.add(threadGroup(thread == null ? null : thread.getJavaName()), 1);
      List<RecordedFrame> frames = stack.getFrames();
      selfMethods.add(methodName(frames.get(0)), 1);
      layers.add(layer(frames.get(0).getMethod().getType().getName()), 1);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String method = methodName(frame);
        if (frame.getMethod().getType().getName().startsWith(OWN_PACKAGE) && seen.add(method)) {
          inclusiveOwnMethods.add(method, 1);
        }
      }
      ownCallers.add(nearestOwnFrame(frames), 1);
    }

    void print(String title, int rows) {
      System.out.printf("%n== %s: %d samples of %s%n", title, count, eventName);
      threads.print("by thread", count, rows);
      layers.print("by layer of the running method (self time)", count, rows);
      selfMethods.print("hot methods, self time", count, rows);
      ownCallers.print(
          "charged to the nearest Turnpike method on the stack (its own work plus the library"
              + " code it called)",
          count,
          rows);
      inclusiveOwnMethods.print("Turnpike methods, inclusive time", count, rows);
    }
  }

  /** Sums of a weight per name, printed as a table of the largest. */
  private static final class Counter {
    private final Map<String, Long> counts = new HashMap<>();

    void add(String name, long weight) {
      counts.merge(name, weight, Long::sum);
    }

    long total() {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    void print(String title, long total, int rows) {
      System.out.printf("%n%s%n", title);
      counts.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(rows)
          .forEach(
              entry ->
                  System.out.printf(
                      Locale.ROOT,
                      "  %5.1f%%  %s%n",
                      total == 0 ? 0 : 100.0 * entry.getValue() / total,
                      entry.getKey()));
    }
  }
}
