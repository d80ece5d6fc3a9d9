package dev.turnpike.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.turnpike.gateway.authorizer.Authorization;
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
 * What the proxy events say about the caller when a Lambda-style authorizer admitted it (a context,
 * no claims), for requests arriving at a real server, read back with AWS's own event classes.
 */
class ProxyEventAuthorizerTest {
  static final Authorization LAMBDA =
      new Authorization(
          "user-9", Map.of(), Map.of("tier", "gold", "quota", 42, "admin", true), "tpk_chosen");

  final Vertx vertx = Vertx.vertx();
  final AtomicReference<Function<ProxyRequest, Buffer>> writer = new AtomicReference<>();
  final AtomicReference<Authorization> authorization = new AtomicReference<>();
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
                          authorization.get(),
                          authorization.get() == null ? null : "tpk_chosen",
                          authorization.get() == null ? null : "key-7",
                          new CallSite("api-1", "prod", "r-1", "/orders"),
                          1L);
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

  String event(Function<ProxyRequest, Buffer> write, Authorization caller) throws Exception {
    writer.set(write);
    authorization.set(caller);
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.actualPort() + "/acme/api/prod/orders"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static <T> T read(Class<T> type, String json) {
    return LambdaEventSerializers.serializerFor(
            type, ProxyEventAuthorizerTest.class.getClassLoader())
        .fromJson(json);
  }

  @Test
  void the_rest_event_has_the_context_values_beside_the_principal_and_the_chosen_key()
      throws Exception {
    String json = event(ProxyEvents::restApi, LAMBDA);

    JsonObject context = new JsonObject(json).getJsonObject("requestContext");
    assertThat(context.getJsonObject("authorizer"))
        .isEqualTo(
            new JsonObject()
                .put("tier", "gold")
                .put("quota", 42)
                .put("admin", true)
                .put("principalId", "user-9"));
    assertThat(context.getJsonObject("identity").getString("apiKeyId")).isEqualTo("key-7");
    APIGatewayProxyRequestEvent event = read(APIGatewayProxyRequestEvent.class, json);
    assertThat(event.getRequestContext().getAuthorizer())
        .containsEntry("principalId", "user-9")
        .containsEntry("tier", "gold");
    assertThat(event.getRequestContext().getIdentity().getApiKey()).isEqualTo("tpk_chosen");
  }

  @Test
  void the_http_api_event_has_the_context_under_lambda() throws Exception {
    String json = event(ProxyEvents::httpApi, LAMBDA);

    assertThat(new JsonObject(json).getJsonObject("requestContext").getJsonObject("authorizer"))
        .isEqualTo(
            new JsonObject()
                .put(
                    "lambda",
                    new JsonObject().put("tier", "gold").put("quota", 42).put("admin", true)));
    APIGatewayV2HTTPEvent event = read(APIGatewayV2HTTPEvent.class, json);
    assertThat(event.getRequestContext().getAuthorizer().getLambda())
        .containsEntry("tier", "gold")
        .containsEntry("admin", true);
    assertThat(event.getRequestContext().getAuthorizer().getJwt()).isNull();
  }

  @Test
  void events_of_a_route_without_an_authorizer_have_none() throws Exception {
    JsonObject rest = new JsonObject(event(ProxyEvents::restApi, null));
    JsonObject http = new JsonObject(event(ProxyEvents::httpApi, null));

    assertThat(rest.getJsonObject("requestContext").containsKey("authorizer")).isFalse();
    assertThat(http.getJsonObject("requestContext").containsKey("authorizer")).isFalse();
  }
}
