package dev.turnpike.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher for real, as {@code ./turnpike up} runs it, with embedded PostgreSQL, Kafka and
 * Keycloak: the demo (its function included) answers through the gateway, a stop leaves no process
 * behind, and a second start finds the data of the first. Takes minutes (Keycloak twice), so it
 * runs in the {@code platform} Maven profile ({@code ./mvnw verify -pl infra -am -Pplatform}).
 */
@Tag("platform")
class PlatformLaunchTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void up_serves_the_demo_stops_every_process_and_a_second_up_keeps_the_data(@TempDir Path state)
      throws Exception {
    Map<String, String> env = new HashMap<>(LaunchedPlatform.freePorts());
    env.put("TURNPIKE_PLATFORM_DIR", state.toString());
    env.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    String gateway = "http://localhost:" + env.get("TURNPIKE_GATEWAY_PORT");
    String hello = gateway + "/demo/hello/prod/hello?name=test";

    String key;
    List<ProcessHandle> children;
    long firstMillis;
    try (LaunchedPlatform first = LaunchedPlatform.start(ROOT, env, state.resolve("first.out"))) {
      firstMillis = first.readyMillis;
      key = Files.readString(state.resolve("demo-api-key.txt")).strip();
      assertThat(first.output()).contains("curl -H 'x-api-key: " + key + "' " + gateway);
      HttpResponse<String> answer = get(hello, key);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("Hello, test!");
      assertThat(get(hello, null).statusCode()).isEqualTo(403);
      // The demo function: a Lambda handler in the demo backend, behind an aws_proxy integration.
      HttpResponse<String> function = get(gateway + "/demo/hello/prod/function?name=test", key);
      assertThat(function.statusCode()).as(function.body()).isEqualTo(200);
      assertThat(function.body()).contains("Hello, test, from a function!");
      assertThat(first.output()).contains("/demo/hello/prod/function?name=Ada");
      // The templated mock: the request template picks the response, the response template and
      // a literal header mapping shape it.
      HttpResponse<String> quote = get(gateway + "/demo/hello/prod/quote?symbol=ACME", key);
      assertThat(quote.statusCode()).as(quote.body()).isEqualTo(200);
      assertThat(quote.headers().firstValue("x-quote-source")).hasValue("turnpike mock");
      assertThat(quote.body())
          .startsWith(
              "{\"symbol\": \"ACME\", \"price\": 42.5, \"stage\": \"prod\", \"requestId\": \"");
      HttpResponse<String> noSymbol = get(gateway + "/demo/hello/prod/quote", key);
      assertThat(noSymbol.statusCode()).as(noSymbol.body()).isEqualTo(400);
      assertThat(noSymbol.body()).isEqualTo("{\"message\": \"Say which symbol: ?symbol=ACME\"}");
      assertThat(first.output()).contains("control plane: ready", "gateway node: ready");
      assertThat(first.output()).as("says it is the trial").contains(PlatformMain.TRIAL_NOTICE);
      // The demo backend is on loopback: reached under the trial egress policy, said at start.
      assertThat(first.output()).contains("egress: the trial egress policy");
      if (Files.isDirectory(ROOT.resolve("metering/target/classes/dev/turnpike/metering/node"))) {
        assertThat(first.output()).contains("metering: ready");
      }
      children = first.children();
      assertThat(children).hasSizeGreaterThanOrEqualTo(4);
    }
    for (ProcessHandle child : children) {
      assertThat(child.isAlive()).as("child %s after the stop", child.info().command()).isFalse();
    }
    for (String port :
        List.of(
            "TURNPIKE_CP_PORT",
            "TURNPIKE_GATEWAY_PORT",
            "TURNPIKE_KEYCLOAK_PORT",
            "TURNPIKE_POSTGRES_PORT",
            "TURNPIKE_KAFKA_PORT")) {
      assertThat(PortGuard.isFree(Integer.parseInt(env.get(port)))).as(port).isTrue();
    }

    try (LaunchedPlatform second = LaunchedPlatform.start(ROOT, env, state.resolve("second.out"))) {
      System.out.printf(
          "./turnpike up until ready: first %d ms, second %d ms%n",
          firstMillis, second.readyMillis);
      assertThat(second.output()).doesNotContain("first run");
      // The key was issued by the first run; it works only if the database kept it.
      assertThat(Files.readString(state.resolve("demo-api-key.txt")).strip()).isEqualTo(key);
      HttpResponse<String> answer = get(hello, key);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
  }

  HttpResponse<String> get(String url, String key) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (key != null) {
      request.header("x-api-key", key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
