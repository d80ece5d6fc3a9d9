package dev.turnpike.gateway.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.ContextVariables;
import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.gateway.domain.ClientCertificate;
import dev.turnpike.gateway.forwarding.Forwarding;
import dev.turnpike.gateway.forwarding.TrustedProxies;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The $context variables of a call arriving at a real server: every name the shared list promises
 * has a filler, and parameter mappings read the same values templates do.
 */
class CallContextTest {
  static final Authorization CALLER =
      new Authorization(
          "user-9",
          Map.of("sub", "user-9", "iss", "https://issuer.test"),
          Map.of("tier", "gold"),
          "tpk_chosen");

  static final ClientCertificate CLIENT_CERT =
      new ClientCertificate(
          "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
          "CN=alice",
          "CN=Acme Client CA",
          "0a:1b",
          "May 28 12:30:02 2019 GMT",
          "Aug  5 09:36:04 2021 GMT");

  final Vertx vertx = Vertx.vertx();
  final AtomicReference<Function<IntegrationCall, String>> probe = new AtomicReference<>();
  HttpServer server;

  @BeforeEach
  void start() {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  IntegrationCall call =
                      new IntegrationCall(
                          request,
                          request,
                          Map.of("petId", "7"),
                          null,
                          Map.of(),
                          "req-1",
                          Forwarding.of(request, TrustedProxies.none()),
                          LogContext.EMPTY,
                          CALLER,
                          "tpk_chosen",
                          "key-7",
                          new CallSite("api-1", "prod", "r-1", "/pets/{petId}"),
                          1_428_582_896_000L,
                          CLIENT_CERT);
                  request.response().end(probe.get().apply(call));
                })
            .listen(0, "127.0.0.1")
            .await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  String ask(Function<IntegrationCall, String> question) throws Exception {
    probe.set(question);
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.actualPort() + "/prod/pets/7"))
                .header("User-Agent", "curl/8")
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void fills_every_name_of_the_shared_list() throws Exception {
    JsonObject values =
        new JsonObject(
            ask(
                call -> {
                  JsonObject out = new JsonObject();
                  for (String name : ContextVariables.NAMES) {
                    out.put(name, call.context(name));
                  }
                  return out.encode();
                }));
    for (String name : ContextVariables.NAMES) {
      assertThat(values.getString(name)).as(name).isNotNull().isNotEmpty();
    }
    assertThat(values.getString("stage")).isEqualTo("prod");
    assertThat(values.getString("apiId")).isEqualTo("api-1");
    assertThat(values.getString("resourcePath")).isEqualTo("/pets/{petId}");
    assertThat(values.getString("httpMethod")).isEqualTo("GET");
    assertThat(values.getString("path")).isEqualTo("/prod/pets/7");
    assertThat(values.getString("protocol")).isEqualTo("HTTP/1.1");
    assertThat(values.getString("requestTime")).isEqualTo("09/Apr/2015:12:34:56 +0000");
    assertThat(values.getString("requestTimeEpoch")).isEqualTo("1428582896000");
    assertThat(values.getString("domainName")).isEqualTo("127.0.0.1");
    assertThat(values.getString("identity.userAgent")).isEqualTo("curl/8");
    assertThat(values.getString("identity.apiKey")).isEqualTo("tpk_chosen");
    assertThat(values.getString("identity.apiKeyId")).isEqualTo("key-7");
    assertThat(values.getString("authorizer.principalId")).isEqualTo("user-9");
    assertThat(values.getString("identity.clientCert.subjectDN")).isEqualTo("CN=alice");
    assertThat(values.getString("identity.clientCert.issuerDN")).isEqualTo("CN=Acme Client CA");
    assertThat(values.getString("identity.clientCert.serialNumber")).isEqualTo("0a:1b");
    assertThat(values.getString("identity.clientCert.validity.notBefore"))
        .isEqualTo("May 28 12:30:02 2019 GMT");
    assertThat(values.getString("identity.clientCert.validity.notAfter"))
        .isEqualTo("Aug  5 09:36:04 2021 GMT");
    assertThat(values.getString("identity.clientCert.clientCertPem"))
        .startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void templates_see_the_values_parameter_mappings_read() throws Exception {
    Map<String, String> mappings = new HashMap<>();
    for (String name : ContextVariables.NAMES) {
      mappings.put("integration.request.header." + name, "context." + name);
    }
    mappings.put("integration.request.header.sub", "$context.authorizer.claims.sub");
    mappings.put("integration.request.header.tier", "context.authorizer.tier");
    ParameterMapping mapping = ParameterMapping.parse(mappings);
    String compared =
        ask(
            call -> {
              Map<String, String> variables = CallContext.variables(call);
              for (ParameterMapping.Entry entry : mapping.entries()) {
                String mapped = ParameterMapping.valueOf(entry, call);
                String key = entry.source();
                if (mapped == null || !mapped.equals(variables.get(key))) {
                  return "differs at " + key + ": " + mapped + " vs " + variables.get(key);
                }
              }
              return "same "
                  + variables.get("authorizer.claims.sub")
                  + " "
                  + variables.get("authorizer.tier");
            });
    assertThat(compared).isEqualTo("same user-9 gold");
  }

  @Test
  void refuses_a_context_name_nobody_fills() {
    assertThatThrownBy(
            () -> ParameterMapping.parse(Map.of("integration.request.header.x", "context.bogus")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("context.bogus");
  }

  @Test
  void request_time_is_formatted_per_second_and_changes_with_it() {
    assertThat(CallContext.requestTime(1428582896000L)).isEqualTo("09/Apr/2015:12:34:56 +0000");
    assertThat(CallContext.requestTime(1428582896999L)).isEqualTo("09/Apr/2015:12:34:56 +0000");
    assertThat(CallContext.requestTime(1428582897000L)).isEqualTo("09/Apr/2015:12:34:57 +0000");
    assertThat(CallContext.requestTime(1428582896500L))
        .as("an earlier second after a later one")
        .isEqualTo("09/Apr/2015:12:34:56 +0000");
    assertThat(CallContext.requestTime(-1L)).isEqualTo("31/Dec/1969:23:59:59 +0000");
  }
}
