package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import dev.turnpike.contracts.config.CompressionConfig;
import dev.turnpike.contracts.config.EdgeConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.gateway.compression.ResponseCompression;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the compressing listener costs a response that is not compressed, against a listener without
 * compression (as nodes had before), with wrk on one gateway event loop; and, for scale, what
 * compressing a 2.7 KB body costs. Not part of the build's tests (the name does not end in Test):
 *
 * <pre>
 * ./mvnw -o -B -q test -pl data-plane -Dtest=CompressionHotPathBenchmark \
 *   -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.seconds=8] [-Dbench.rounds=3]
 * </pre>
 *
 * Figures go to {@code data-plane/target/compression-benchmark.txt}: the best round's requests per
 * second and the gateway process's CPU time per request (less sensitive to a shared machine).
 */
class CompressionHotPathBenchmark {
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern COUNT = Pattern.compile("(\\d+) requests in");
  private static final String TEXT = "turnpike ".repeat(300);
  private static final ThrottleLimit UNLIMITED = new ThrottleLimit(10_000_000, 1_000_000);

  record Scenario(
      String name,
      UnaryOperator<HttpServerOptions> listener,
      CompressionConfig compression,
      String path,
      String acceptEncoding) {}

  record Round(double requestsPerSecond, double cpuMicrosPerRequest) {}

  @Test
  void the_compressing_listener_does_not_slow_uncompressed_responses() throws Exception {
    int seconds = Integer.getInteger("bench.seconds", 8);
    int rounds = Integer.getInteger("bench.rounds", 3);
    List<Scenario> scenarios =
        List.of(
            new Scenario("plain listener, no compression", o -> o, null, "/small", "gzip"),
            new Scenario(
                "compressing listener, API without compression",
                ResponseCompression::onListener,
                null,
                "/small",
                "gzip"),
            new Scenario(
                "compressing listener, client accepts no encoding",
                ResponseCompression::onListener,
                null,
                "/small",
                null),
            new Scenario(
                "compressing listener, API min 1024, small body",
                ResponseCompression::onListener,
                new CompressionConfig(1024, false),
                "/small",
                "gzip"),
            new Scenario(
                "compressing listener, API min 0, 2.7 KB gzipped",
                ResponseCompression::onListener,
                new CompressionConfig(0, false),
                "/large",
                "gzip"),
            new Scenario("plain listener, 2.7 KB uncompressed", o -> o, null, "/large", "gzip"));
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "%-50s %12s %14s",
            "scenario (1 event loop, wrk -t1 -c16)", "requests/s", "CPU us/req"));
    // Every gateway is up and warmed first, then the rounds go round the scenarios in turn, so the
    // JIT and the neighbours' load treat them alike; each keeps its best round.
    List<GatewayRig> rigs = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    Round[] best = new Round[scenarios.size()];
    try {
      for (Scenario scenario : scenarios) {
        GatewayRig rig =
            GatewayRig.builder().listener(scenario.listener()).accountLimit(UNLIMITED).start();
        rigs.add(rig);
        rig.load(
            List.of(
                deployment(
                        "prod",
                        List.of(
                            route("GET", "/small", false, mock(200, "{\"ok\":true}")),
                            route("GET", "/large", false, mock(200, "{\"t\":\"" + TEXT + "\"}"))))
                    .toBuilder()
                    .edge(new EdgeConfig(null, null, scenario.compression()))
                    .build()),
            List.of(),
            List.of());
        urls.add("http://127.0.0.1:" + rig.port() + "/acme/pets/prod" + scenario.path());
      }
      for (int warm = 0; warm < 2; warm++) {
        for (int i = 0; i < scenarios.size(); i++) {
          wrk(urls.get(i), scenarios.get(i).acceptEncoding(), 3);
        }
      }
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < scenarios.size(); i++) {
          Round measured = wrk(urls.get(i), scenarios.get(i).acceptEncoding(), seconds);
          if (best[i] == null || measured.requestsPerSecond() > best[i].requestsPerSecond()) {
            best[i] = measured;
          }
        }
      }
    } finally {
      rigs.forEach(GatewayRig::close);
    }
    for (int i = 0; i < scenarios.size(); i++) {
      lines.add(
          String.format(
              "%-50s %12.0f %14.1f",
              scenarios.get(i).name(), best[i].requestsPerSecond(), best[i].cpuMicrosPerRequest()));
    }
    lines.add(
        "load average at the end: "
            + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Path report = Path.of("target", "compression-benchmark.txt");
    Files.write(report, lines, StandardCharsets.UTF_8);
    lines.forEach(System.out::println);
    assertThat(lines).hasSize(scenarios.size() + 2);
  }

  private static Round wrk(String url, String acceptEncoding, int seconds)
      throws IOException, InterruptedException {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c16", "-d" + seconds + "s"));
    if (acceptEncoding != null) {
      command.addAll(List.of("-H", "Accept-Encoding: " + acceptEncoding));
    }
    command.add(url);
    long cpuBefore = os.getProcessCpuTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    long cpuNanos = os.getProcessCpuTime() - cpuBefore;
    assertThat(output).as("only 2xx answers").doesNotContain("Non-2xx");
    Matcher rate = RATE.matcher(output);
    Matcher count = COUNT.matcher(output);
    assertThat(rate.find() && count.find()).as(output).isTrue();
    long requests = Long.parseLong(count.group(1));
    return new Round(Double.parseDouble(rate.group(1)), cpuNanos / 1000.0 / requests);
  }
}
