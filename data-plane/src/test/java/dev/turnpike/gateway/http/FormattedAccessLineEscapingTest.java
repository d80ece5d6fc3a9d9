package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Attack: a value with line breaks (a JWT claim, an authorizer's context, a header an HTTP/2 client
 * sends) cannot start a second access-log line or a second JSON field.
 */
class FormattedAccessLineEscapingTest {
  private static String escaped(String value, boolean json) {
    StringBuilder line = new StringBuilder();
    FormattedAccessLine.appendEscaped(line, value, json);
    return line.toString();
  }

  @Test
  void line_breaks_and_control_characters_never_reach_the_line() {
    String forged =
        "ok\r\n127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] \"GET /admin\" 200\u0000\u001b";

    String clf = escaped(forged, false);

    assertThat(clf).doesNotContain("\n", "\r", "\u0000", "\u001b");
    assertThat(clf).startsWith("ok\\r\\n127.0.0.1").endsWith("200\\u0000\\u001b");
  }

  @Test
  void a_json_format_value_stays_inside_its_string() {
    String forged = "x\", \"status\": \"200\\\n";

    String line = "{\"ua\": \"" + escaped(forged, true) + "\", \"status\": \"403\"}";

    JsonObject parsed = new JsonObject(line);
    assertThat(parsed.getString("ua")).isEqualTo(forged);
    assertThat(parsed.getString("status")).isEqualTo("403");
  }
}
