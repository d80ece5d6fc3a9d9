package dev.turnpike.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UtcInstantDeserializerTest {
  private static Instant read(String json) throws JsonProcessingException {
    return JsonCodec.mapper().readValue(json, Instant.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-07T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "2024-02-29T23:59:59Z",
        "1969-12-31T23:59:59Z",
        "9999-12-31T23:59:59Z"
      })
  void a_whole_second_utc_instant_reads_as_the_general_parser_reads_it(String text)
      throws JsonProcessingException {
    assertThat(UtcInstantDeserializer.wholeSecondUtc(text)).isEqualTo(Instant.parse(text));
    assertThat(read("\"" + text + "\"")).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-07T00:00:00.123Z",
        "2026-12-07T00:00:00+01:00",
        "2026-02-30T00:00:00Z",
        "2026-12-07T24:00:00Z",
        "2026-12-07 00:00:00Z",
        "2026-1a-07T00:00:00Z"
      })
  void any_other_text_is_left_to_the_general_parser(String text) {
    assertThat(UtcInstantDeserializer.wholeSecondUtc(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"\"2026-12-07T00:00:00.123Z\"", "1765065600", "\"2026-12-07T01:00:00+01:00\""})
  void other_forms_still_read_as_the_java_time_module_reads_them(String json)
      throws JsonProcessingException {
    assertThat(read(json))
        .isEqualTo(
            json.startsWith("\"")
                ? java.time.OffsetDateTime.parse(json.substring(1, json.length() - 1)).toInstant()
                : Instant.ofEpochSecond(Long.parseLong(json)));
  }
}
