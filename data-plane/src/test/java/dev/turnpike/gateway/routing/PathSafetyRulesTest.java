package dev.turnpike.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathSafetyRulesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/..",
        "/.",
        "/a/./b",
        "/a/../b",
        "/%2e%2e/b",
        "/%2E%2e",
        "/.%2E/",
        "/a%2F..%2Fb",
        "/a%2f.",
        "/..%5Cb",
        "/a\\..\\b",
        "/..;jsessionid=1/b",
        "/.%3bx",
        "/a/%2e%2e%2fb"
      })
  void finds_dot_segments_however_spelled(String path) {
    assertThat(PathSafety.problem(path)).as(path).isEqualTo(PathSafety.DOT_SEGMENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a%00b", "/a%0Ab", "/a%0d", "/%1f", "/a%7fb", "/a\u0001b", "/a\tb"})
  void finds_control_characters_plain_or_encoded(String path) {
    assertThat(PathSafety.problem(path)).as(path).isEqualTo(PathSafety.CONTROL_CHARACTER);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "",
        "/a/b",
        "/...",
        "/..a/a../a..b/.a/a.",
        "/v1.2/file.tar.gz",
        "/%2e%2e%2e",
        "/%252e%252e/x",
        "/%2",
        "/a%",
        "/%zz/..x",
        "/;/x",
        "/caf%C3%A9",
        "/%E3%80%82%E3%80%82"
      })
  void lets_other_paths_through(String path) {
    assertThat(PathSafety.problem(path)).as(path).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "a/../b", "..\\x", "x/.", "..;x"})
  void finds_dot_segments_in_decoded_values(String value) {
    assertThat(PathSafety.valueProblem(value)).as(value).isEqualTo(PathSafety.DOT_SEGMENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"%2e%2e", "a..b", "...", "a/b", "%2F.."})
  void takes_decoded_values_literally(String value) {
    assertThat(PathSafety.valueProblem(value)).as(value).isNull();
  }
}
