package dev.turnpike.controlplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time as the benchmarks read it on Linux: this JVM's, the PostgreSQL backends serving one
 * database, every core's busy time, and the load average. On a shared machine wall time grows with
 * the neighbours' load and CPU time much less, so the benchmarks report both.
 */
public final class CpuClock {
  private CpuClock() {}

  public static double jvmSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /** CPU time of the PostgreSQL backends serving this database (their title names it). */
  public static double postgresSeconds(String database) {
    double ticks = 0;
    try (var processes = Files.list(Path.of("/proc"))) {
      for (Path process :
          processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String command = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
          if (command.startsWith("postgres: ") && command.contains(" " + database + " ")) {
            ticks += cpuTicks(Files.readString(process.resolve("stat")));
          }
        } catch (IOException | RuntimeException e) {
          // The process ended while being read.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ticks / 100.0;
  }

  /** CPU time every core spent busy, from /proc/stat. */
  public static double machineBusySeconds() {
    String[] cpu = firstLine(Path.of("/proc/stat")).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < Math.min(cpu.length, 9); i++) {
      if (i != 4 && i != 5) { // idle and iowait
        busy += Long.parseLong(cpu[i]);
      }
    }
    return busy / 100.0;
  }

  /** The one-minute load average, from /proc/loadavg. */
  public static double loadAverage() {
    return Double.parseDouble(firstLine(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  private static long cpuTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String firstLine(Path file) {
    try {
      return Files.readAllLines(file).getFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
