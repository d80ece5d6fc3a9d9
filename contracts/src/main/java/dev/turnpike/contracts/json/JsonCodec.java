package dev.turnpike.contracts.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;

/**
 * JSON codec for one contract record.
 *
 * <p>Readers tolerate fields they do not know, so a producer may add fields without a version bump;
 * a record whose {@code schemaVersion} is newer than the reader supports is refused rather than
 * misread, because a bump means the meaning of an existing field changed.
 */
public final class JsonCodec<T extends Versioned> {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          // After the Java time module, so it takes precedence for Instant.
          .addModule(
              new SimpleModule().addDeserializer(Instant.class, new UtcInstantDeserializer()))
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private final Class<T> type;
  private final int supportedVersion;
  private final ObjectReader reader;
  private final ObjectWriter writer;

  private JsonCodec(Class<T> type, int supportedVersion) {
    this.type = type;
    this.supportedVersion = supportedVersion;
    this.reader = MAPPER.readerFor(type);
    this.writer = MAPPER.writerFor(type);
  }

  public static <T extends Versioned> JsonCodec<T> of(Class<T> type, int supportedVersion) {
    return new JsonCodec<>(type, supportedVersion);
  }

  /** The mapper the contracts use, for services that embed contract records in other JSON. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public byte[] encode(T value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + type.getSimpleName(), e);
    }
  }

  public String encodeToString(T value) {
    try {
      return writer.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + type.getSimpleName(), e);
    }
  }

  public T decode(byte[] json) {
    if (json == null) {
      throw new ContractDecodingException(type.getSimpleName() + ": no bytes (a tombstone?)");
    }
    T value;
    try {
      value = reader.readValue(json);
    } catch (IOException | IllegalArgumentException e) {
      throw new ContractDecodingException(
          type.getSimpleName() + " is not valid JSON for its contract: " + e.getMessage(), e);
    }
    if (value == null) {
      throw new ContractDecodingException(type.getSimpleName() + ": JSON null");
    }
    if (value.schemaVersion() < 1 || value.schemaVersion() > supportedVersion) {
      throw new ContractDecodingException(
          type.getSimpleName()
              + " schemaVersion "
              + value.schemaVersion()
              + " is not supported (this reader knows 1.."
              + supportedVersion
              + ")");
    }
    return value;
  }
}
