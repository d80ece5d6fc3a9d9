package dev.turnpike.controlplane.db;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.turnpike.controlplane.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.JSONB;

/** Conversions between domain values and jsonb / timestamptz columns. */
public final class Jsonb {
  private Jsonb() {}

  public static JSONB of(Object value) {
    return value == null ? null : JSONB.valueOf(Json.write(value));
  }

  public static <T> T read(JSONB value, TypeReference<T> type) {
    return value == null ? null : Json.read(value.data(), type);
  }

  public static <T> T read(JSONB value, Class<T> type) {
    return value == null ? null : Json.read(value.data(), type);
  }

  public static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  public static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
