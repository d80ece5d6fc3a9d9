package dev.turnpike.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.turnpike.gateway.domain.ClientCertificate;
import dev.turnpike.gateway.forwarding.Forwarding;
import dev.turnpike.gateway.forwarding.TrustedProxies;
import dev.turnpike.gateway.integration.BinaryMediaTypes;
import dev.turnpike.gateway.integration.CallSite;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A function's proxy event carries the client certificate a mutual-TLS domain verified where API
 * Gateway puts it: {@code requestContext.identity.clientCert} in the REST event, {@code
 * requestContext.authentication.clientCert} in the HTTP API event.
 */
class ProxyEventClientCertTest {
  static final ClientCertificate ALICE =
      new ClientCertificate(
          "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
          "CN=alice",
          "CN=Acme Client CA",
          "0a:1b",
          "May 28 12:30:02 2019 GMT",
          "Aug 5 09:36:04 2031 GMT");

  final Vertx vertx = Vertx.vertx();
  final AtomicReference<Function<ProxyRequest, Buffer>> writer = new AtomicReference<>();
  final AtomicReference<ClientCertificate> certificate = new AtomicReference<>();
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
                          Map.of(),
                          null,
                          Map.of(),
                          "req-1",
                          Forwarding.of(request, TrustedProxies.none()),
                          LogContext.EMPTY,
                          null,
                          null,
                          null,
                          new CallSite("api-1", "prod", "r-1", "/orders"),
                          1L,
                          certificate.get());
                  FunctionRoute route =
                      new FunctionRoute("api-1", "prod", "GET", "/orders", true, List.of());
                  ProxyRequest in =
                      new ProxyRequest(call, route, new BinaryMediaTypes(List.of()), null, 1L);
                  request.response().end(writer.get().apply(in));
                })
            .listen(0, "127.0.0.1")
            .await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  JsonObject event(Function<ProxyRequest, Buffer> write, ClientCertificate clientCert)
      throws Exception {
    writer.set(write);
    certificate.set(clientCert);
    return new JsonObject(
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.actualPort() + "/orders"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  static JsonObject expected() {
    return new JsonObject()
        .put("clientCertPem", ALICE.clientCertPem())
        .put("subjectDN", "CN=alice")
        .put("issuerDN", "CN=Acme Client CA")
        .put("serialNumber", "0a:1b")
        .put(
            "validity",
            new JsonObject()
                .put("notBefore", "May 28 12:30:02 2019 GMT")
                .put("notAfter", "Aug 5 09:36:04 2031 GMT"));
  }

  @Test
  void the_rest_event_has_it_under_the_identity() throws Exception {
    JsonObject event = event(ProxyEvents::restApi, ALICE);
    assertThat(
            event
                .getJsonObject("requestContext")
                .getJsonObject("identity")
                .getJsonObject("clientCert"))
        .isEqualTo(expected());
  }

  @Test
  void the_http_api_event_has_it_under_authentication() throws Exception {
    JsonObject event = event(ProxyEvents::httpApi, ALICE);
    assertThat(
            event
                .getJsonObject("requestContext")
                .getJsonObject("authentication")
                .getJsonObject("clientCert"))
        .isEqualTo(expected());
    // AWS's event classes read it without failing (this version has no field for it).
    assertThat(ProxyEventAuthorizerTest.read(APIGatewayV2HTTPEvent.class, event.encode()))
        .isNotNull();
  }

  @Test
  void events_without_a_certificate_have_none() throws Exception {
    JsonObject rest = event(ProxyEvents::restApi, null);
    JsonObject http = event(ProxyEvents::httpApi, null);
    assertThat(
            rest.getJsonObject("requestContext")
                .getJsonObject("identity")
                .containsKey("clientCert"))
        .isFalse();
    assertThat(http.getJsonObject("requestContext").containsKey("authentication")).isFalse();
  }
}
