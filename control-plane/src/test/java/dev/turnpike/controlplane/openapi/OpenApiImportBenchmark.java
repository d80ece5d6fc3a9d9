package dev.turnpike.controlplane.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.testing.CpuClock;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How long the management API takes to refuse and to accept OpenAPI documents of many paths,
 * through its real import endpoint against a real embedded PostgreSQL. Not part of the normal build
 * (the name does not end in Test); run it with {@code infra/bench/openapi-import.sh} or
 *
 * <pre>
 * ./mvnw -o -B verify -pl control-plane -am -Dtest=OpenApiImportBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.paths=10000,20000]
 * </pre>
 *
 * <p>Each size is measured on a fresh API: a refusal (every path lacks an integration, so every
 * path is a problem), a first import (every route inserted), the same document again (every route
 * kept and moved to a new integration), then a deployment of the result. Each figure is one HTTP
 * request as a client sees it (wall time), with the CPU time this JVM and the database's backends
 * spent meanwhile: on a shared machine the wall time grows with the neighbours' load, the CPU time
 * much less, and on an idle machine the request takes about its CPU time (it runs on one thread and
 * one backend, in turn).
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class OpenApiImportBenchmark {
  private static final List<Integer> SIZES =
      Arrays.stream(System.getProperty("bench.paths", "10000,20000").split(","))
          .map(String::trim)
          .map(Integer::parseInt)
          .toList();
  private static final Path REPORT = Path.of("target", "openapi-import-benchmark.txt");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** What one request cost. */
  record Measured(int status, double wallSeconds, double jvmCpu, double dbCpu, double otherCpu) {
    String figure() {
      return String.format(
          "%.2f s (CPU %.2f s: %.2f this JVM, %.2f PostgreSQL; other processes %.1f cores)",
          wallSeconds, jvmCpu + dbCpu, jvmCpu, dbCpu, otherCpu);
    }
  }

  @Test
  void imports_documents_of_many_paths(TestDatabase db) throws Exception {
    // Routes and integrations per API raised to the largest size measured: what is measured is the
    // import's own work, not the limit's early refusal.
    String largest = Integer.toString(SIZES.stream().mapToInt(Integer::intValue).max().orElse(1));
    try (TestControlPlane cp =
        TestControlPlane.start(
            db,
            null,
            Map.of(
                Limit.ROUTES_PER_API.setting(),
                largest,
                Limit.INTEGRATIONS_PER_API.setting(),
                largest))) {
      Bench bench = new Bench(cp, db.name());
      Fixture fx = new Fixture(cp.client(), bench.token);
      String tenant = fx.tenant();
      // One small import first, so class loading and JIT warm-up are not charged to the first size.
      bench.importing(tenant, fx.api(tenant), LargeDocuments.withMocks(50), 200);
      for (int paths : SIZES) {
        String apiId = fx.api(tenant);
        Measured refused =
            bench.importing(tenant, apiId, LargeDocuments.withoutIntegrations(paths), 400);
        Measured created = bench.importing(tenant, apiId, LargeDocuments.withMocks(paths), 200);
        Measured replaced = bench.importing(tenant, apiId, LargeDocuments.withMocks(paths), 200);
        String stage = fx.stage(tenant, apiId, "prod");
        Measured deployed =
            bench.send(
                "/v1/tenants/" + tenant + "/apis/" + apiId + "/deployments",
                new JsonObject().put("stageId", stage).encode(),
                201);
        report(
            String.format(
                "openapi import benchmark: %,d paths: refused in %s; imported in %s; re-imported in"
                    + " %s; deployed in %s",
                paths, refused.figure(), created.figure(), replaced.figure(), deployed.figure()));
      }
    }
  }

  private static final class Bench {
    final int port;
    final String token;
    final String database;

    Bench(TestControlPlane cp, String database) {
      this.port = cp.controlPlane().port();
      this.token = cp.token("bench-" + UUID.randomUUID());
      this.database = database;
    }

    Measured importing(String tenant, String apiId, String document, int status) throws Exception {
      return send("/v1/tenants/" + tenant + "/apis/" + apiId + "/openapi", document, status);
    }

    /** One request, its wall time and the CPU spent meanwhile; the client waits as needed. */
    Measured send(String path, String body, int status) throws Exception {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      double jvmBefore = CpuClock.jvmSeconds();
      double dbBefore = CpuClock.postgresSeconds(database);
      double machineBefore = CpuClock.machineBusySeconds();
      long start = System.nanoTime();
      HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      double wall = (System.nanoTime() - start) / 1e9;
      double jvm = CpuClock.jvmSeconds() - jvmBefore;
      double dbCpu = CpuClock.postgresSeconds(database) - dbBefore;
      double other =
          Math.max(0, CpuClock.machineBusySeconds() - machineBefore - jvm - dbCpu) / wall;
      assertThat(answer.statusCode())
          .as(() -> answer.body().substring(0, Math.min(answer.body().length(), 500)))
          .isEqualTo(status);
      Measured measured = new Measured(answer.statusCode(), wall, jvm, dbCpu, other);
      report(
          String.format(
              "  POST %s: %d in %s, %,d bytes sent, %,d answered",
              path.substring(path.lastIndexOf('/')),
              answer.statusCode(),
              measured.figure(),
              body.length(),
              answer.body().length()));
      return measured;
    }
  }

  /**
   * Prints a line and appends it to {@code target/openapi-import-benchmark.txt} at once: the test's
   * own output file is complete only when the run ends.
   */
  private static void report(String line) throws IOException {
    System.out.println(line);
    Files.writeString(
        REPORT,
        line + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
