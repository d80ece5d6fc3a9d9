package dev.turnpike.gateway.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.gateway.authorizer.AuthorizationRequest;
import dev.turnpike.gateway.domain.ClientCertificate;
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
 * A REQUEST authorizer's event carries the verified client certificate as API Gateway sends it:
 * {@code requestContext.identity.clientCert} (REST) and {@code
 * requestContext.authentication.clientCert} (HTTP API).
 */
class AuthorizerEventClientCertTest {
  static final ClientCertificate ALICE =
      new ClientCertificate(
          "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
          "CN=alice",
          "CN=Acme Client CA",
          "0a:1b",
          "May 28 12:30:02 2019 GMT",
          "Aug 5 09:36:04 2031 GMT");

  final Vertx vertx = Vertx.vertx();
  final AtomicReference<Function<AuthorizationRequest, Buffer>> writer = new AtomicReference<>();
  HttpServer server;

  @BeforeEach
  void start() {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .response()
                        .end(
                            writer
                                .get()
                                .apply(
                                    new AuthorizationRequest(
                                        request,
                                        "t-acme",
                                        "api-1",
                                        "prod",
                                        "GET",
                                        "/orders",
                                        Map.of(),
                                        Map.of(),
                                        "req-1",
                                        "203.0.113.9",
                                        "arn:aws:execute-api:turnpike:t-acme:api-1/prod/GET/orders",
                                        1L,
                                        ALICE))))
            .listen(0, "127.0.0.1")
            .await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  JsonObject event(Function<AuthorizationRequest, Buffer> write) throws Exception {
    writer.set(write);
    return new JsonObject(
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.actualPort() + "/orders"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  @Test
  void the_rest_request_event_has_it_under_the_identity() throws Exception {
    JsonObject clientCert =
        event(AuthorizerEvents::restRequest)
            .getJsonObject("requestContext")
            .getJsonObject("identity")
            .getJsonObject("clientCert");
    assertThat(clientCert.getString("subjectDN")).isEqualTo("CN=alice");
    assertThat(clientCert.getString("issuerDN")).isEqualTo("CN=Acme Client CA");
    assertThat(clientCert.getString("serialNumber")).isEqualTo("0a:1b");
    assertThat(clientCert.getString("clientCertPem")).isEqualTo(ALICE.clientCertPem());
    assertThat(clientCert.getJsonObject("validity").getString("notAfter"))
        .isEqualTo("Aug 5 09:36:04 2031 GMT");
  }

  @Test
  void the_http_request_event_has_it_under_authentication() throws Exception {
    JsonObject clientCert =
        event(call -> AuthorizerEvents.httpRequest(call, List.of()))
            .getJsonObject("requestContext")
            .getJsonObject("authentication")
            .getJsonObject("clientCert");
    assertThat(clientCert.getString("subjectDN")).isEqualTo("CN=alice");
    assertThat(clientCert.getJsonObject("validity").getString("notBefore"))
        .isEqualTo("May 28 12:30:02 2019 GMT");
  }
}
