package dev.turnpike.contracts.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads an instant written whole-second in UTC ({@code 2026-12-07T00:00:00Z}, what {@link
 * Instant#toString} writes for one) without the general ISO parser, and any other form as the Java
 * time module does. A node's cold start decodes a quota state per key with three such instants, and
 * the general parser was a third of the decode threads' work.
 */
final class UtcInstantDeserializer extends StdScalarDeserializer<Instant> {
  private static final long serialVersionUID = 1L;
  private static final JsonDeserializer<Instant> GENERAL = InstantDeserializer.INSTANT;

  UtcInstantDeserializer() {
    super(Instant.class);
  }

  @Override
  public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    if (parser.hasToken(JsonToken.VALUE_STRING)) {
      Instant instant = wholeSecondUtc(parser.getText());
      if (instant != null) {
        return instant;
      }
    }
    return GENERAL.deserialize(parser, context);
  }

  /**
   * The instant {@code text} spells as {@code yyyy-MM-ddTHH:mm:ssZ}, or null for any other text.
   */
  static Instant wholeSecondUtc(String text) {
    if (text.length() != 20
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    // A leap second (:60) and anything out of range is left to the general parser.
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23) {
      return null;
    }
    if (minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
