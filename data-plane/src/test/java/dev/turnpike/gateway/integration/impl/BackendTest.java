package dev.turnpike.gateway.integration.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.gateway.integration.ParameterMapping;
import dev.turnpike.gateway.integration.UriTemplate;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BackendTest {

  private static Backend backend(String uri) {
    return backend(uri, null);
  }

  /** Only where requests go is tested here: no client, no egress decision. */
  private static Backend backend(String uri, HttpMethod method) {
    UriTemplate template = UriTemplate.parse(uri);
    return new Backend(
        null,
        template,
        FixedOrigin.of(template),
        null,
        method,
        ParameterMapping.parse(Map.of()),
        1_000,
        2_000);
  }

  /** What the request options say about where the request goes. */
  private static String destination(RequestOptions options) {
    return options.getMethod()
        + " ssl="
        + options.isSsl()
        + " host="
        + options.getHost()
        + " port="
        + options.getPort()
        + " uri="
        + options.getURI()
        + " connect="
        + options.getConnectTimeout()
        + " idle="
        + options.getIdleTimeout();
  }

  private static void assertSameAsParsing(Backend backend, String target) {
    RequestOptions parsed =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setConnectTimeout(1_000)
            .setIdleTimeout(2_000)
            .setAbsoluteURI(target);
    assertThat(destination(backend.requestTo(target, HttpMethod.GET)))
        .as(target)
        .isEqualTo(destination(parsed));
  }

  @Nested
  class requestTo {
    @Test
    void sends_where_parsing_the_whole_url_would() {
      Map<String, List<String>> targetsByTemplate =
          Map.of(
              "http://127.0.0.1:8080/{proxy}",
              List.of(
                  "http://127.0.0.1:8080/items/1",
                  "http://127.0.0.1:8080/items/1?a=b&c=%20",
                  "http://127.0.0.1:8080/",
                  "http://127.0.0.1:8080/a?b#fragment"),
              "https://api.example.com",
              List.of(
                  "https://api.example.com",
                  "https://api.example.com?x=1",
                  "https://api.example.com/x"),
              "HTTP://Example.COM:9443/base?fixed=1",
              List.of("HTTP://Example.COM:9443/base?fixed=1&more=2"),
              "http://[::1]:8081/v1/{id}",
              List.of("http://[::1]:8081/v1/42"),
              "http://${stageVariables.host}/pets",
              List.of("http://pets.internal:9000/pets"),
              "http://api-{region}.example.com/x",
              List.of("http://api-eu.example.com/x"));
      targetsByTemplate.forEach(
          (template, targets) -> {
            Backend backend = backend(template);
            targets.forEach(target -> assertSameAsParsing(backend, target));
          });
    }

    @Test
    void resolves_a_literal_origin_once_and_leaves_variable_ones_to_each_request() {
      assertThat(backend("http://127.0.0.1:8080/{proxy}").origin()).isNotNull();
      assertThat(backend("https://api.example.com").origin()).isNotNull();
      assertThat(backend("http://${stageVariables.host}/pets").origin()).isNull();
      assertThat(backend("http://api-{region}.example.com/x").origin()).isNull();
      assertThat(backend("${stageVariables.url}").origin()).isNull();
    }

    @Test
    void uses_the_integration_method_over_the_clients() {
      Backend backend = backend("http://127.0.0.1:8080/x", HttpMethod.POST);

      assertThat(backend.requestTo("http://127.0.0.1:8080/x", HttpMethod.GET).getMethod())
          .isEqualTo(HttpMethod.POST);
    }
  }
}
