package dev.turnpike.controlplane.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * aws_proxy integrations made by hand: the function named, or resolved from a Lambda ARN (alias and
 * stage variable kept), and what is not a function integration refused.
 */
class FunctionIntegrationsTest extends FunctionFeatureTest {
  @Test
  void an_aws_proxy_integration_names_its_function() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    JsonObject created =
        fx.created(
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations",
            function("orders:live").put("payloadFormatVersion", "2.0").put("timeoutMillis", 900));
    assertThat(created.getString("type")).isEqualTo("aws_proxy");
    assertThat(created.getString("function")).isEqualTo("orders:live");
    assertThat(created.getString("payloadFormatVersion")).isEqualTo("2.0");
    assertThat(created.getString("httpMethod")).isEqualTo("POST");
    assertThat(created.getInteger("timeoutMillis")).isEqualTo(900);

    JsonObject byArn =
        fx.created(
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations",
            new JsonObject()
                .put("type", "aws_proxy")
                .put("uri", REST_ARN.formatted("billing:${stageVariables.alias}")));
    assertThat(byArn.getString("function")).isEqualTo("billing:${stageVariables.alias}");
    assertThat(byArn.getString("payloadFormatVersion")).isEqualTo("1.0");
  }

  @Test
  void refuses_what_is_not_a_function_integration() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String path = "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations";
    assertThat(pointers(api.post(token, path, function("bad name")))).containsExactly("/function");
    assertThat(pointers(api.post(token, path, new JsonObject().put("type", "aws_proxy"))))
        .containsExactly("/function");
    assertThat(
            pointers(api.post(token, path, function("orders").put("payloadFormatVersion", "3.0"))))
        .containsExactly("/payloadFormatVersion");
    assertThat(pointers(api.post(token, path, function("orders").put("httpMethod", "GET"))))
        .containsExactly("/httpMethod");
    assertThat(
            pointers(
                api.post(
                    token,
                    path,
                    function("orders").put("uri", "https://orders.example.com/invoke"))))
        .containsExactly("/uri");
    assertThat(
            pointers(
                api.post(
                    token,
                    path,
                    new JsonObject()
                        .put("type", "http_proxy")
                        .put("httpMethod", "ANY")
                        .put("uri", "https://x.example.com")
                        .put("function", "orders"))))
        .containsExactly("/function");
    assertThat(api.get(token, path).items()).isEmpty();
  }
}
