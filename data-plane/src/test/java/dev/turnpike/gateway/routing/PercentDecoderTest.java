package dev.turnpike.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentDecoderTest {

  private static String decode(String text) {
    return PercentDecoder.decode(text, 0, text.length());
  }

  @Test
  void text_without_escapes_is_returned_as_is() {
    String text = "plain-text";

    assertThat(PercentDecoder.decode(text, 0, text.length())).isSameAs(text);
    assertThat(PercentDecoder.decode("/a/bc/", 3, 5)).isEqualTo("bc");
  }

  @Test
  void decodes_only_the_given_region() {
    assertThat(PercentDecoder.decode("%41%42%43", 3, 6)).isEqualTo("B");
  }

  @Test
  void decodes_multi_byte_utf8_and_mixed_text() {
    assertThat(decode("caf%C3%A9%20%F0%9F%90%B6!")).isEqualTo("café 🐶!");
    assertThat(decode("%e2%82%ac")).isEqualTo("€");
  }

  @Test
  void keeps_unencoded_non_ascii_characters() {
    assertThat(decode("ü%20ü")).isEqualTo("ü ü");
  }

  @Test
  void keeps_plus_signs() {
    assertThat(decode("a+b%2Bc")).isEqualTo("a+b+c");
  }

  @Test
  void reports_truncated_escapes() {
    assertThat(decode("%")).isNull();
    assertThat(decode("ab%4")).isNull();
  }

  @Test
  void reports_non_hex_escapes_including_non_ascii_digits() {
    assertThat(decode("%G1")).isNull();
    // U+0663 is a digit to Character.digit, but not a hex digit in a URL.
    assertThat(decode("%\u06634")).isNull();
  }

  @Test
  void reports_invalid_utf8() {
    assertThat(decode("%C3")).isNull();
    assertThat(decode("%C3%28")).isNull();
    assertThat(decode("%ED%A0%80")).isNull();
    assertThat(decode("%C0%AF")).isNull();
  }
}
