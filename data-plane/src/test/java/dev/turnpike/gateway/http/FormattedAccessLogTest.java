package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.route;
import static dev.turnpike.gateway.http.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.AccessLogFormat;
import dev.turnpike.contracts.config.ContextVariables;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.testkit.Await;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Access logs in the stage owner's format (API Gateway's {@code accessLogSettings.format}). */
class FormattedAccessLogTest {
  static final List<RouteConfig> ROUTES =
      List.of(
          route("GET", "/hi", false, mock(200, "{\"hello\":\"world\"}")),
          route("GET", "/keyed", true, mock(200, "{}")));

  static DeploymentSnapshot stageWithFormat(String format) {
    return snapshot("prod").routes(ROUTES).accessLogFormat(format).build();
  }

  static List<String> lines(GatewayRig rig, int count) {
    Await.until(
        Duration.ofSeconds(10),
        () -> lines(rig).size() >= count,
        () -> count + " access-log line(s), have: " + rig.accessLogOut);
    return lines(rig);
  }

  static List<String> lines(GatewayRig rig) {
    return Arrays.stream(rig.accessLogOut.toString().split("\n", -1))
        .filter(l -> !l.isEmpty())
        .toList();
  }

  @Test
  void a_clf_format_writes_the_calls_values_where_the_owner_put_them() throws Exception {
    String format =
        "$context.identity.sourceIp - - [$context.requestTime] \"$context.httpMethod"
            + " $context.routeKey $context.protocol\" $context.status $context.responseLength"
            + " $context.requestId $context.responseLatency $context.integrationLatency";
    try (GatewayRig rig = GatewayRig.builder().start()) {
      rig.load(List.of(stageWithFormat(format)), List.of(), List.of());

      var answer = rig.get("/acme/pets/prod/hi", Map.of());

      assertThat(answer.status()).isEqualTo(200);
      String requestId = answer.headers().get(GatewayRequestHandler.REQUEST_ID_HEADER);
      assertThat(requestId).isNotBlank();
      assertThat(lines(rig, 1))
          .singleElement()
          .asString()
          .matches(
              "127\\.0\\.0\\.1 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\]"
                  + " \"GET GET /hi HTTP/1\\.1\" 200 \\d+ "
                  + java.util.regex.Pattern.quote(requestId)
                  // Latency in whole milliseconds; a mock has no integration, so '-'.
                  + " \\d+ -");
    }
  }

  @Test
  void a_json_format_writes_one_json_object_per_call() throws Exception {
    String format =
        "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
            + "\"status\":\"$context.status\",\"routeKey\":\"$context.routeKey\","
            + "\"latency\":$context.responseLatency,"
            + "\"integrationLatency\":\"$context.integrationLatency\","
            + "\"principal\":\"$context.authorizer.principalId\"}";
    try (GatewayRig rig = GatewayRig.builder().start()) {
      rig.load(List.of(stageWithFormat(format)), List.of(), List.of());

      var answer = rig.get("/acme/pets/prod/hi", Map.of());

      JsonObject line = new JsonObject(lines(rig, 1).getFirst());
      assertThat(line.getString("requestId"))
          .isEqualTo(answer.headers().get(GatewayRequestHandler.REQUEST_ID_HEADER));
      assertThat(line.getString("ip")).isEqualTo("127.0.0.1");
      assertThat(line.getString("status")).isEqualTo("200");
      assertThat(line.getString("routeKey")).isEqualTo("GET /hi");
      assertThat(line.getValue("latency")).isInstanceOf(Number.class);
      assertThat(line.getString("integrationLatency")).isEqualTo("-");
      assertThat(line.getString("principal")).isEqualTo("-");
    }
  }

  @Test
  void a_client_header_cannot_break_a_json_line_or_forge_another() throws Exception {
    String format = "{\"requestId\":\"$context.requestId\",\"ua\":\"$context.identity.userAgent\"}";
    // A quote and a backslash to close the string and add a field, a tab (a control character a
    // JSON string may not hold), then what a forged line would say. CR and LF cannot come in a
    // header: the listener answers 400 to a bare CR, and a folded line arrives joined by a space.
    String userAgent = "x\", \"status\":\"500\\\t{\"requestId\":\"forged\"}";
    try (GatewayRig rig = GatewayRig.builder().start()) {
      rig.load(List.of(stageWithFormat(format)), List.of(), List.of());

      var answer = rig.rawGet("/acme/pets/prod/hi", Map.of("User-Agent", userAgent));

      assertThat(answer.status()).isEqualTo(200);
      List<String> lines = lines(rig, 1);
      assertThat(lines).hasSize(1);
      assertThat(lines.getFirst()).doesNotContain("\t");
      JsonObject line = new JsonObject(lines.getFirst());
      assertThat(line.fieldNames()).containsExactlyInAnyOrder("requestId", "ua");
      assertThat(line.getString("requestId")).isNotEqualTo("forged");
      assertThat(line.getString("ua")).isEqualTo(userAgent);
    }
  }

  @Test
  void a_refused_call_fills_the_error_variables() throws Exception {
    String format =
        "{\"requestId\":\"$context.requestId\",\"status\":$context.status,"
            + "\"message\":\"$context.error.message\","
            + "\"messageString\":\"$context.error.messageString\","
            + "\"type\":\"$context.error.responseType\",\"apiKey\":\"$context.identity.apiKey\"}";
    try (GatewayRig rig = GatewayRig.builder().start()) {
      rig.load(List.of(stageWithFormat(format)), List.of(), List.of());

      var answer = rig.get("/acme/pets/prod/keyed", Map.of());

      assertThat(answer.status()).isEqualTo(403);
      JsonObject line = new JsonObject(lines(rig, 1).getFirst());
      assertThat(line.getInteger("status")).isEqualTo(403);
      assertThat(line.getString("message")).isEqualTo("Forbidden");
      assertThat(line.getString("messageString")).isEqualTo("\"Forbidden\"");
      assertThat(line.getString("type")).isEqualTo("INVALID_API_KEY");
      assertThat(line.getString("apiKey")).isEqualTo("-");
    }
  }

  @Test
  void every_variable_an_access_log_may_name_renders_for_served_refused_and_unrouted_calls()
      throws Exception {
    List<String> variables =
        Stream.concat(ContextVariables.NAMES.stream(), AccessLogFormat.RESPONSE_VARIABLES.stream())
            .toList();
    StringBuilder format = new StringBuilder("{");
    for (String variable : variables) {
      format.append('"').append(variable).append("\":\"$context.").append(variable).append("\",");
    }
    format.append("\"claim\":\"$context.authorizer.claims.sub\"}");
    assertThat(AccessLogFormat.problems(format.toString())).isEmpty();
    try (GatewayRig rig = GatewayRig.builder().start()) {
      rig.load(List.of(stageWithFormat(format.toString())), List.of(), List.of());

      assertThat(rig.get("/acme/pets/prod/hi", Map.of()).status()).isEqualTo(200);
      assertThat(rig.get("/acme/pets/prod/keyed", Map.of()).status()).isEqualTo(403);
      assertThat(rig.get("/acme/pets/prod/nowhere", Map.of()).status()).isEqualTo(403);

      List<String> lines = lines(rig, 3);
      assertThat(lines).hasSize(3);
      List<String> missing = new ArrayList<>();
      for (String text : lines) {
        JsonObject line = new JsonObject(text);
        for (String variable : variables) {
          if (line.getString(variable) == null) {
            missing.add(variable);
          }
        }
      }
      assertThat(missing).as("variables with no value at all, not even '-'").isEmpty();
      JsonObject served = new JsonObject(lines.getFirst());
      assertThat(served.getString("stage")).isEqualTo("prod");
      assertThat(served.getString("httpMethod")).isEqualTo("GET");
      assertThat(served.getString("routeKey")).isEqualTo("GET /hi");
      assertThat(served.getString("accountId")).isEqualTo(Fixtures.TENANT_ID);
      assertThat(served.getString("error.message")).isEqualTo("-");
    }
  }
}
