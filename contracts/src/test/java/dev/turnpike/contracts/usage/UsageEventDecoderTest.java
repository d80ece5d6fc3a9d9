package dev.turnpike.contracts.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.json.ContractDecodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsageEventDecoderTest {

  private static UsageEvent event(Instant at) {
    return UsageEvent.builder()
        .eventId(UUID.randomUUID())
        .tenantId(UUID.randomUUID().toString())
        .apiId("api")
        .stage("prod")
        .routeKey("GET /x")
        .keyId("key")
        .appId("app")
        .planId("plan")
        .status(503)
        .outcome(Outcome.INTEGRATION_TIMEOUT)
        .latencyMicros(1234)
        .bytesIn(5)
        .bytesOut(6)
        .timestamp(at)
        .nodeId("node")
        .build();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-21T23:00:00Z",
        "2026-11-21T23:00:00.1Z",
        "2026-11-21T23:00:00.123Z",
        "2028-02-29T00:00:59.123456Z",
        "1999-12-31T23:59:59.999999999Z"
      })
  void reads_what_the_contract_codec_writes(String timestamp) {
    UsageEvent written = event(Instant.parse(timestamp));

    assertThat(UsageEventDecoder.decode(UsageEvent.CODEC.encode(written))).isEqualTo(written);
  }

  @Test
  void reads_nulls_unknown_fields_and_unknown_outcomes_as_the_codec_does() {
    String json =
        "{\"schemaVersion\":1,\"eventId\":\""
            + UUID.randomUUID()
            + "\",\"tenantId\":null,"
            + "\"extra\":{\"nested\":[1,2]},\"outcome\":\"FUTURE_OUTCOME\","
            + "\"timestamp\":\"2026-11-21T23:00:00+01:00\"}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

    assertThat(UsageEventDecoder.decode(bytes)).isEqualTo(UsageEvent.CODEC.decode(bytes));
    assertThat(UsageEventDecoder.decode(bytes).timestamp())
        .isEqualTo(Instant.parse("2026-11-21T22:00:00Z"));
  }

  @Test
  void reads_the_principal_and_events_written_before_it_existed() {
    UsageEvent written =
        UsageEventEncoderTest.withPrincipal(event(Instant.parse("2026-11-21T23:00:00Z")), "sub-1");
    assertThat(UsageEventDecoder.decode(UsageEvent.CODEC.encode(written))).isEqualTo(written);
    assertThat(UsageEvent.CODEC.decode(new UsageEventEncoder().encode(written))).isEqualTo(written);

    String before =
        "{\"schemaVersion\":1,\"eventId\":\"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0ff\","
            + "\"tenantId\":\"t\",\"status\":200,\"outcome\":\"SERVED\","
            + "\"timestamp\":\"2026-11-22T02:38:21.123Z\",\"nodeId\":\"node-1\"}";
    byte[] old = before.getBytes(StandardCharsets.UTF_8);
    assertThat(UsageEventDecoder.decode(old).principalId()).isNull();
    assertThat(UsageEventDecoder.decode(old)).isEqualTo(UsageEvent.CODEC.decode(old));
  }

  @Test
  void reads_the_cache_hit_flag_and_events_written_before_it_existed() {
    UsageEvent hit = UsageEventEncoderTest.asCacheHit(event(Instant.parse("2026-11-21T23:00:00Z")));
    assertThat(UsageEventDecoder.decode(UsageEvent.CODEC.encode(hit))).isEqualTo(hit);
    assertThat(UsageEventDecoder.decode(new UsageEventEncoder().encode(hit)).cacheHit()).isTrue();

    String before =
        "{\"schemaVersion\":1,\"eventId\":\"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0ff\","
            + "\"tenantId\":\"t\",\"status\":200,\"outcome\":\"SERVED\","
            + "\"timestamp\":\"2026-11-22T02:38:21.123Z\",\"nodeId\":\"node-1\"}";
    byte[] old = before.getBytes(StandardCharsets.UTF_8);
    assertThat(UsageEventDecoder.decode(old).cacheHit()).isFalse();
    assertThat(UsageEvent.CODEC.decode(old).cacheHit()).isFalse();
  }

  @Test
  void rejects_a_schema_version_it_does_not_know() {
    assertThatThrownBy(
            () ->
                UsageEventDecoder.decode("{\"schemaVersion\":99}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ContractDecodingException.class)
        .hasMessageContaining("schemaVersion 99");
  }

  @Test
  void rejects_bytes_that_are_not_json() {
    assertThatThrownBy(() -> UsageEventDecoder.decode("nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ContractDecodingException.class);
  }
}
