package dev.turnpike.contracts.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.turnpike.contracts.json.ContractDecodingException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The metering side of the usage wire format, mirroring {@link UsageEventEncoder}: reads usage
 * events as {@link UsageEvent#CODEC} does (unknown fields ignored, unknown outcomes {@code
 * UNKNOWN}, the schema version checked), with a streaming parser and a direct reading of the UTC
 * timestamps gateways write. Metering decodes every event it counts; the data-binding codec spent
 * most of its time in the general-purpose date parser.
 */
public final class UsageEventDecoder {
  private static final JsonFactory FACTORY = new JsonFactory();

  private UsageEventDecoder() {}

  /**
   * @throws ContractDecodingException when the bytes are not a usage event this reader knows
   */
  public static UsageEvent decode(byte[] json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new ContractDecodingException("UsageEvent: not a JSON object");
      }
      return readObject(parser);
    } catch (IOException | IllegalArgumentException | DateTimeException e) {
      throw new ContractDecodingException("UsageEvent is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static UsageEvent readObject(JsonParser parser) throws IOException {
    int schemaVersion = 0;
    UUID eventId = null;
    String tenantId = null;
    String apiId = null;
    String stage = null;
    String routeKey = null;
    String keyId = null;
    String appId = null;
    String planId = null;
    int status = 0;
    Outcome outcome = null;
    long latencyMicros = 0;
    long bytesIn = 0;
    long bytesOut = 0;
    Instant timestamp = null;
    String nodeId = null;
    String principalId = null;
    boolean cacheHit = false;
    String webSocketEvent = null;
    long connectionMillis = 0;
    boolean canary = false;
    String traceId = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "schemaVersion" -> schemaVersion = parser.getValueAsInt();
        case "eventId" -> {
          String text = text(parser, value);
          eventId = text == null ? null : UUID.fromString(text);
        }
        case "tenantId" -> tenantId = text(parser, value);
        case "apiId" -> apiId = text(parser, value);
        case "stage" -> stage = text(parser, value);
        case "routeKey" -> routeKey = text(parser, value);
        case "keyId" -> keyId = text(parser, value);
        case "appId" -> appId = text(parser, value);
        case "planId" -> planId = text(parser, value);
        case "status" -> status = parser.getValueAsInt();
        case "outcome" -> outcome = outcome(text(parser, value));
        case "latencyMicros" -> latencyMicros = parser.getValueAsLong();
        case "bytesIn" -> bytesIn = parser.getValueAsLong();
        case "bytesOut" -> bytesOut = parser.getValueAsLong();
        case "timestamp" -> timestamp = instant(parser, value);
        case "nodeId" -> nodeId = text(parser, value);
        case "principalId" -> principalId = text(parser, value);
        case "cacheHit" -> cacheHit = value == JsonToken.VALUE_TRUE;
        case "webSocketEvent" -> webSocketEvent = text(parser, value);
        case "connectionMillis" -> connectionMillis = parser.getValueAsLong();
        case "canary" -> canary = value == JsonToken.VALUE_TRUE;
        case "traceId" -> traceId = text(parser, value);
        default -> parser.skipChildren();
      }
    }
    if (schemaVersion < 1 || schemaVersion > UsageEvent.SCHEMA_VERSION) {
      throw new ContractDecodingException(
          "UsageEvent schemaVersion "
              + schemaVersion
              + " is not supported (this reader knows 1.."
              + UsageEvent.SCHEMA_VERSION
              + ")");
    }
    return new UsageEvent(
        schemaVersion,
        eventId,
        tenantId,
        apiId,
        stage,
        routeKey,
        keyId,
        appId,
        planId,
        status,
        outcome,
        latencyMicros,
        bytesIn,
        bytesOut,
        timestamp,
        nodeId,
        principalId,
        cacheHit,
        webSocketEvent,
        connectionMillis,
        canary,
        traceId);
  }

  private static String text(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (!value.isScalarValue()) {
      throw new ContractDecodingException("UsageEvent: " + parser.currentName() + " not scalar");
    }
    return parser.getText();
  }

  private static Outcome outcome(String name) {
    if (name == null) {
      return null;
    }
    try {
      return Outcome.valueOf(name);
    } catch (IllegalArgumentException e) {
      return Outcome.UNKNOWN;
    }
  }

  private static Instant instant(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT -> Instant.ofEpochSecond(parser.getLongValue());
      case VALUE_NUMBER_FLOAT -> {
        BigDecimal seconds = parser.getDecimalValue();
        long whole = seconds.longValue();
        yield Instant.ofEpochSecond(
            whole, seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue());
      }
      default -> parseInstant(parser.getText());
    };
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} read directly; any other form through the JDK. */
  static Instant parseInstant(String text) {
    int length = text.length();
    if (length < 20
        || length > 30
        || text.charAt(length - 1) != 'Z'
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || (length > 20 && (text.charAt(19) != '.' || length == 21))) {
      return Instant.parse(text);
    }
    int nanos = 0;
    for (int i = 20; i < length - 1; i++) {
      nanos = nanos * 10 + digit(text, i);
    }
    for (int digits = length - 21; digits < 9 && length > 20; digits++) {
      nanos *= 10;
    }
    int hour = number(text, 11);
    int minute = number(text, 14);
    int second = number(text, 17);
    if (hour > 23 || minute > 59 || second > 59) {
      return Instant.parse(text);
    }
    long day =
        LocalDate.of(number(text, 0) * 100 + number(text, 2), number(text, 5), number(text, 8))
            .toEpochDay();
    return Instant.ofEpochSecond(day * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  private static int number(String text, int at) {
    return digit(text, at) * 10 + digit(text, at + 1);
  }

  private static int digit(String text, int at) {
    char c = text.charAt(at);
    if (c < '0' || c > '9') {
      throw new DateTimeException("not a timestamp: " + text);
    }
    return c - '0';
  }
}
