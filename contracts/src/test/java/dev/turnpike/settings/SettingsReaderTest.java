package dev.turnpike.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {
  @Test
  void reads_typed_values_and_falls_back_on_unset_or_blank_ones() {
    SettingsReader read =
        new SettingsReader(
            Map.of(
                "PORT", " 8080 ",
                "BLANK", "  ",
                "RATIO", "0.5",
                "FLAG", "yes",
                "LIST", "a, b,,c",
                "URL", "https://example.com/realm/",
                "MODE", "FAST"));

    assertThat(read.port("PORT", 1)).isEqualTo(8080);
    assertThat(read.string("BLANK", "fallback")).isEqualTo("fallback");
    assertThat(read.optional("MISSING")).isNull();
    assertThat(read.decimal("RATIO", 1, 0)).isEqualTo(0.5);
    assertThat(read.bool("FLAG", false)).isTrue();
    assertThat(read.list("LIST", List.of())).containsExactly("a", "b", "c");
    assertThat(read.httpUrl("URL")).isEqualTo("https://example.com/realm");
    assertThat(read.oneOf("MODE", "slow", List.of("slow", "fast"))).isEqualTo("fast");
    assertThat(read.millis("MISSING", 250, 0, 1_000)).isEqualTo(Duration.ofMillis(250));
    read.failOnProblems("test");
  }

  @Test
  void reports_every_problem_at_once_naming_each_variable() {
    SettingsReader read =
        new SettingsReader(
            Map.of(
                "PORT", "99999",
                "COUNT", "many",
                "FLAG", "perhaps",
                "URL", "ftp://example.com"));
    read.port("PORT", 1);
    read.integer("COUNT", 1, 0, 10);
    read.bool("FLAG", false);
    read.url("URL", null, true);
    read.required("NEEDED", "what it is for");

    assertThatThrownBy(() -> read.failOnProblems("test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid test settings:")
        .hasMessageContaining("PORT must be between 1 and 65535, was 99999")
        .hasMessageContaining("COUNT must be a whole number, was 'many'")
        .hasMessageContaining("FLAG must be true or false, was 'perhaps'")
        .hasMessageContaining("URL must be an absolute http(s) URL, was 'ftp://example.com'")
        .hasMessageContaining("NEEDED is required: what it is for");
  }

  @Test
  void a_missing_secret_is_named_without_a_value_and_a_present_one_is_kept_as_given() {
    SettingsReader read = new SettingsReader(Map.of("TOKEN", " s3cret "));
    assertThat(read.secret("TOKEN", true)).isEqualTo(" s3cret ");
    read.secret("OTHER", true);
    assertThatThrownBy(() -> read.failOnProblems("test"))
        .hasMessageContaining("OTHER is required")
        .hasMessageNotContaining("s3cret");
  }
}
