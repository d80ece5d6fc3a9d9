package dev.turnpike.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.gateway.integration.BinaryMediaTypes;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FunctionReplyTest {
  static FunctionReply rest(String json) throws FunctionReply.Malformed {
    return FunctionReply.parse(Buffer.buffer(json), false);
  }

  static FunctionReply http(String json) throws FunctionReply.Malformed {
    return FunctionReply.parse(Buffer.buffer(json), true);
  }

  @Nested
  class Payload_1_0 {
    @Test
    void multi_value_headers_win_over_headers_of_the_same_name() throws Exception {
      FunctionReply reply =
          rest(
              "{\"statusCode\":200,\"headers\":{\"X-A\":\"one\",\"X-B\":\"b\"},"
                  + "\"multiValueHeaders\":{\"X-A\":[\"two\",\"three\"]}}");
      assertThat(reply.headers().getAll("x-a")).containsExactly("two", "three");
      assertThat(reply.headers().get("x-b")).isEqualTo("b");
    }

    @Test
    void a_missing_content_type_defaults_to_json_and_a_missing_body_to_empty() throws Exception {
      FunctionReply reply = rest("{\"statusCode\":204}");
      assertThat(reply.status()).isEqualTo(204);
      assertThat(reply.headers().get("content-type")).isEqualTo("application/json");
      assertThat(reply.body().length()).isZero();
    }

    @Test
    void scalar_header_values_are_sent_as_text() throws Exception {
      FunctionReply reply = rest("{\"statusCode\":\"200\",\"headers\":{\"X-N\":5,\"X-B\":true}}");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.headers().get("x-n")).isEqualTo("5");
      assertThat(reply.headers().get("x-b")).isEqualTo("true");
    }

    @Test
    void what_api_gateway_calls_malformed_is_refused() {
      for (String json :
          List.of(
              "[]",
              "\"text\"",
              "{}",
              "{\"statusCode\":99}",
              "{\"statusCode\":600}",
              "{\"statusCode\":2.5}",
              "{\"statusCode\":200,\"extra\":1}",
              "{\"statusCode\":200,\"body\":5}",
              "{\"statusCode\":200,\"headers\":[]}",
              "{\"statusCode\":200,\"headers\":{\"a\":{}}}",
              "{\"statusCode\":200,\"multiValueHeaders\":{\"a\":\"b\"}}",
              "{\"statusCode\":200,\"isBase64Encoded\":\"yes\",\"body\":\"x\"}",
              "{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"not base64!\"}",
              "")) {
        assertThatThrownBy(() -> rest(json)).as(json).isInstanceOf(FunctionReply.Malformed.class);
      }
    }
  }

  @Nested
  class Payload_2_0 {
    @Test
    void an_answer_without_status_code_is_a_200_json_body() throws Exception {
      assertThat(http("{\"a\":1}").body().toString()).isEqualTo("{\"a\":1}");
      assertThat(http("[1,2]").body().toString()).isEqualTo("[1,2]");
      assertThat(http("42").body().toString()).isEqualTo("42");
      assertThat(http("\"plain\"").body().toString()).isEqualTo("plain");
      assertThat(http("{\"a\":1}").status()).isEqualTo(200);
      assertThat(http("{\"a\":1}").headers().get("content-type")).isEqualTo("application/json");
    }

    @Test
    void cookies_become_set_cookie_headers_and_other_fields_are_ignored() throws Exception {
      FunctionReply reply =
          http("{\"statusCode\":200,\"cookies\":[\"a=1\",\"b=2\"],\"note\":\"x\",\"body\":\"ok\"}");
      assertThat(reply.headers().getAll("set-cookie")).containsExactly("a=1", "b=2");
      assertThat(reply.body().toString()).isEqualTo("ok");
    }

    @Test
    void a_status_code_with_a_body_that_is_no_string_is_malformed() {
      assertThatThrownBy(() -> http("{\"statusCode\":200,\"body\":{\"a\":1}}"))
          .isInstanceOf(FunctionReply.Malformed.class);
    }
  }

  @Nested
  class Binary_media_types {
    @Test
    void match_exact_types_wildcards_and_ignore_parameters() {
      BinaryMediaTypes types = new BinaryMediaTypes(List.of("image/png", "application/*"));
      assertThat(types.matches("image/png")).isTrue();
      assertThat(types.matches("IMAGE/PNG; q=1")).isTrue();
      assertThat(types.matches("application/octet-stream")).isTrue();
      assertThat(types.matches("image/jpeg")).isFalse();
      assertThat(types.matches(null)).isFalse();
      assertThat(new BinaryMediaTypes(List.of("*/*")).matches("text/plain")).isTrue();
    }
  }
}
