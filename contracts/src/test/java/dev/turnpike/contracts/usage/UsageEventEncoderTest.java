package dev.turnpike.contracts.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class UsageEventEncoderTest {
  private final UsageEventEncoder encoder = new UsageEventEncoder();

  private static UsageEvent event(
      String tenantId, String routeKey, String keyId, Outcome outcome, Instant timestamp) {
    return new UsageEvent(
        UsageEvent.SCHEMA_VERSION,
        UUID.fromString("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0ff"),
        tenantId,
        "api-1",
        "prod",
        routeKey,
        keyId,
        keyId == null ? null : "app-1",
        keyId == null ? null : "plan-1",
        200,
        outcome,
        1_234,
        0,
        9_876_543_210L,
        timestamp,
        "node-1");
  }

  private void assertSameAsCodec(UsageEvent event) {
    byte[] direct = encoder.encode(event);
    assertThat(new String(direct, StandardCharsets.UTF_8))
        .isEqualTo(new String(UsageEvent.CODEC.encode(event), StandardCharsets.UTF_8));
    assertThat(direct).isEqualTo(UsageEvent.CODEC.encode(event));
    assertThat(UsageEvent.CODEC.decode(direct)).isEqualTo(event);
  }

  @Nested
  class writes_the_codecs_bytes {
    @Test
    void for_a_websocket_connections_message_and_disconnect() {
      UsageEvent http =
          event("t", "send", "key-1", Outcome.SERVED, Instant.parse("2026-12-07T00:00:00Z"));
      UsageEvent message =
          new UsageEvent(
              http.schemaVersion(),
              http.eventId(),
              http.tenantId(),
              http.apiId(),
              http.stage(),
              http.routeKey(),
              http.keyId(),
              http.appId(),
              http.planId(),
              http.status(),
              http.outcome(),
              http.latencyMicros(),
              31,
              13,
              http.timestamp(),
              http.nodeId(),
              null,
              false,
              "MESSAGE",
              0);
      UsageEvent disconnect =
          new UsageEvent(
              http.schemaVersion(),
              http.eventId(),
              http.tenantId(),
              http.apiId(),
              http.stage(),
              "$disconnect",
              http.keyId(),
              http.appId(),
              http.planId(),
              200,
              http.outcome(),
              0,
              0,
              0,
              http.timestamp(),
              http.nodeId(),
              "alice",
              false,
              "DISCONNECT",
              61_000);
      assertSameAsCodec(message);
      assertSameAsCodec(disconnect);
      assertThat(new String(encoder.encode(disconnect), StandardCharsets.UTF_8))
          .contains("\"webSocketEvent\":\"DISCONNECT\"", "\"connectionMillis\":61000");
      assertThat(UsageEventDecoder.decode(encoder.encode(message))).isEqualTo(message);
      // An HTTP call's event keeps the bytes it had before WebSocket APIs.
      assertThat(new String(encoder.encode(http), StandardCharsets.UTF_8))
          .doesNotContain("webSocketEvent")
          .doesNotContain("connectionMillis");
    }

    @Test
    void for_a_served_request_with_a_key() {
      assertSameAsCodec(
          event(
              "tenant-1",
              "GET /pets/{id}",
              "key-1",
              Outcome.SERVED,
              Instant.parse("2026-11-22T02:38:21.123Z")));
    }

    @Test
    void for_a_rejected_request_without_route_key_or_plan() {
      assertSameAsCodec(
          event(
              null,
              null,
              null,
              Outcome.MISSING_AUTHENTICATION_TOKEN,
              Instant.parse("2026-11-22T02:38:21Z")));
    }

    @Test
    void for_timestamps_with_every_fraction_length_and_far_years() {
      for (String text :
          List.of(
              "2026-11-22T02:38:21.100Z",
              "2026-11-22T02:38:21.000001Z",
              "2026-11-22T02:38:21.000000001Z",
              "2026-11-22T02:38:21.120300Z",
              "1970-01-01T00:00:00Z",
              "1969-12-31T23:59:59.999Z",
              "+12026-01-01T00:00:00.5Z",
              "0001-01-01T00:00:00Z")) {
        assertSameAsCodec(event("t", "ANY /{proxy+}", "k", Outcome.SERVED, Instant.parse(text)));
      }
    }

    @Test
    void for_extreme_numbers_and_every_outcome() {
      for (Outcome outcome : Outcome.values()) {
        UsageEvent event =
            new UsageEvent(
                UsageEvent.SCHEMA_VERSION,
                new UUID(Long.MIN_VALUE, -1L),
                "t",
                "a",
                "s",
                "r",
                "k",
                "p",
                "q",
                -1,
                outcome,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                -42,
                Instant.ofEpochMilli(1),
                "n");
        assertSameAsCodec(event);
      }
    }

    @Test
    void for_strings_that_need_escapes_or_are_not_ascii() {
      for (String tenant :
          List.of(
              "quote\"d",
              "back\\slash",
              "tab\there",
              "line\nbreak",
              "\u0001",
              "caf\u00e9",
              "\ud83d\ude80 rocket",
              "del\u007f")) {
        assertSameAsCodec(event(tenant, "GET /", "key", Outcome.SERVED, Instant.EPOCH));
      }
    }

    @Test
    void for_random_events_one_after_another() {
      SplittableRandom random = new SplittableRandom(42);
      List<UsageEvent> events = new ArrayList<>();
      long millis = 1_795_000_000_000L;
      for (int i = 0; i < 2_000; i++) {
        millis += random.nextInt(0, 1_500);
        events.add(
            new UsageEvent(
                UsageEvent.SCHEMA_VERSION,
                new UUID(random.nextLong(), random.nextLong()),
                "tenant-" + random.nextInt(10),
                "api-" + random.nextInt(5),
                "stage",
                "GET /svc" + random.nextInt(10_000) + "/items/{id}",
                random.nextBoolean() ? null : "key-" + random.nextInt(),
                "app",
                "plan",
                random.nextInt(100, 600),
                Outcome.values()[random.nextInt(Outcome.values().length)],
                random.nextLong(0, 30_000_000),
                random.nextLong(0, 10_000_000),
                random.nextLong(0, 10_000_000),
                Instant.ofEpochMilli(millis),
                "node-" + random.nextInt(3)));
      }
      events.forEach(UsageEventEncoderTest.this::assertSameAsCodec);
    }
  }

  static UsageEvent withPrincipal(UsageEvent event, String principalId) {
    return new UsageEvent(
        event.schemaVersion(),
        event.eventId(),
        event.tenantId(),
        event.apiId(),
        event.stage(),
        event.routeKey(),
        event.keyId(),
        event.appId(),
        event.planId(),
        event.status(),
        event.outcome(),
        event.latencyMicros(),
        event.bytesIn(),
        event.bytesOut(),
        event.timestamp(),
        event.nodeId(),
        principalId);
  }

  static UsageEvent asCacheHit(UsageEvent event) {
    return new UsageEvent(
        event.schemaVersion(),
        event.eventId(),
        event.tenantId(),
        event.apiId(),
        event.stage(),
        event.routeKey(),
        event.keyId(),
        event.appId(),
        event.planId(),
        event.status(),
        event.outcome(),
        event.latencyMicros(),
        event.bytesIn(),
        event.bytesOut(),
        event.timestamp(),
        event.nodeId(),
        event.principalId(),
        true);
  }

  static UsageEvent traced(UsageEvent event, String traceId) {
    return new UsageEvent(
        event.schemaVersion(),
        event.eventId(),
        event.tenantId(),
        event.apiId(),
        event.stage(),
        event.routeKey(),
        event.keyId(),
        event.appId(),
        event.planId(),
        event.status(),
        event.outcome(),
        event.latencyMicros(),
        event.bytesIn(),
        event.bytesOut(),
        event.timestamp(),
        event.nodeId(),
        event.principalId(),
        event.cacheHit(),
        event.canary(),
        traceId);
  }

  static UsageEvent onCanary(UsageEvent event) {
    return new UsageEvent(
        event.schemaVersion(),
        event.eventId(),
        event.tenantId(),
        event.apiId(),
        event.stage(),
        event.routeKey(),
        event.keyId(),
        event.appId(),
        event.planId(),
        event.status(),
        event.outcome(),
        event.latencyMicros(),
        event.bytesIn(),
        event.bytesOut(),
        event.timestamp(),
        event.nodeId(),
        event.principalId(),
        event.cacheHit(),
        true,
        event.traceId());
  }

  /** Records already in Kafka were written by the gateway's encoder: these are its exact bytes. */
  @Nested
  class stays_wire_compatible {
    private final UsageEvent sample =
        event(
            "tenant-1",
            "GET /pets/{id}",
            "key-1",
            Outcome.SERVED,
            Instant.parse("2026-11-22T02:38:21.123Z"));

    @Test
    void writes_the_bytes_the_gateway_has_always_written() {
      assertThat(new String(encoder.encode(sample), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"schemaVersion\":1,\"eventId\":\"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0ff\","
                  + "\"tenantId\":\"tenant-1\",\"apiId\":\"api-1\",\"stage\":\"prod\","
                  + "\"routeKey\":\"GET /pets/{id}\",\"keyId\":\"key-1\",\"appId\":\"app-1\","
                  + "\"planId\":\"plan-1\",\"status\":200,\"outcome\":\"SERVED\","
                  + "\"latencyMicros\":1234,\"bytesIn\":0,\"bytesOut\":9876543210,"
                  + "\"timestamp\":\"2026-11-22T02:38:21.123Z\",\"nodeId\":\"node-1\"}");
    }

    @Test
    void adds_the_principal_at_the_end_and_only_when_there_is_one() {
      UsageEvent authorized = withPrincipal(sample, "user-7");

      assertSameAsCodec(authorized);
      assertThat(new String(encoder.encode(authorized), StandardCharsets.UTF_8))
          .endsWith(",\"nodeId\":\"node-1\",\"principalId\":\"user-7\"}");
      assertSameAsCodec(withPrincipal(sample, "caf\u00e9 \"q\""));
      assertThat(new String(encoder.encode(sample), StandardCharsets.UTF_8))
          .doesNotContain("principalId");
    }

    @Test
    void flags_a_cache_hit_at_the_end_and_only_for_a_hit() {
      UsageEvent hit = asCacheHit(withPrincipal(sample, "user-7"));

      assertSameAsCodec(hit);
      assertSameAsCodec(asCacheHit(sample));
      assertThat(new String(encoder.encode(hit), StandardCharsets.UTF_8))
          .endsWith(",\"principalId\":\"user-7\",\"cacheHit\":true}");
      assertThat(new String(encoder.encode(sample), StandardCharsets.UTF_8))
          .doesNotContain("cacheHit");
    }

    @Test
    void adds_the_trace_id_at_the_end_and_only_when_there_is_one() {
      UsageEvent traced = traced(asCacheHit(sample), "4bf92f3577b34da6a3ce929d0e0e4736");

      assertSameAsCodec(traced);
      assertThat(new String(encoder.encode(traced), StandardCharsets.UTF_8))
          .endsWith(",\"cacheHit\":true,\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
      assertThat(UsageEventDecoder.decode(encoder.encode(traced))).isEqualTo(traced);
      assertThat(new String(encoder.encode(sample), StandardCharsets.UTF_8))
          .doesNotContain("traceId");
    }

    @Test
    void flags_a_canary_request_at_the_end_and_only_for_one() {
      UsageEvent canary = onCanary(asCacheHit(sample));

      assertSameAsCodec(canary);
      assertSameAsCodec(onCanary(sample));
      assertThat(new String(encoder.encode(canary), StandardCharsets.UTF_8))
          .endsWith(",\"cacheHit\":true,\"canary\":true}");
      assertThat(UsageEventDecoder.decode(encoder.encode(canary))).isEqualTo(canary);
      // A reader of events written before the flag existed sees the base.
      assertThat(UsageEventDecoder.decode(encoder.encode(sample)).canary()).isFalse();
      assertThat(new String(encoder.encode(sample), StandardCharsets.UTF_8))
          .doesNotContain("canary");
    }

    @Test
    void round_trips_a_traced_canary_request_with_both_fields_at_the_end() {
      UsageEvent both = traced(onCanary(asCacheHit(sample)), "4bf92f3577b34da6a3ce929d0e0e4736");

      assertSameAsCodec(both);
      assertThat(new String(encoder.encode(both), StandardCharsets.UTF_8))
          .endsWith(
              ",\"cacheHit\":true,\"canary\":true,"
                  + "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
      UsageEvent decoded = UsageEventDecoder.decode(encoder.encode(both));
      assertThat(decoded).isEqualTo(both);
      assertThat(decoded.canary()).isTrue();
      assertThat(decoded.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      // Neither set: the bytes every HTTP event has always had.
      assertThat(new String(encoder.encode(sample), StandardCharsets.UTF_8))
          .doesNotContain("canary")
          .doesNotContain("traceId");
    }

    @Test
    void writes_a_canary_websocket_event_with_the_canary_flag_after_the_websocket_fields() {
      UsageEvent disconnect =
          new UsageEvent(
              sample.schemaVersion(),
              sample.eventId(),
              sample.tenantId(),
              sample.apiId(),
              sample.stage(),
              "$disconnect",
              sample.keyId(),
              sample.appId(),
              sample.planId(),
              200,
              sample.outcome(),
              0,
              0,
              0,
              sample.timestamp(),
              sample.nodeId(),
              "user-7",
              true,
              "DISCONNECT",
              61_000,
              true);

      assertSameAsCodec(disconnect);
      assertThat(new String(encoder.encode(disconnect), StandardCharsets.UTF_8))
          .endsWith(
              ",\"principalId\":\"user-7\",\"cacheHit\":true,\"webSocketEvent\":\"DISCONNECT\","
                  + "\"connectionMillis\":61000,\"canary\":true}");
      assertThat(UsageEventDecoder.decode(encoder.encode(disconnect))).isEqualTo(disconnect);
      // Readers go by name, not position: the fields in another order read the same.
      byte[] reordered =
          new String(encoder.encode(disconnect), StandardCharsets.UTF_8)
              .replace(
                  ",\"webSocketEvent\":\"DISCONNECT\",\"connectionMillis\":61000,\"canary\":true}",
                  ",\"canary\":true,\"connectionMillis\":61000,\"webSocketEvent\":\"DISCONNECT\"}")
              .getBytes(StandardCharsets.UTF_8);
      assertThat(UsageEventDecoder.decode(reordered)).isEqualTo(disconnect);
      assertThat(UsageEvent.CODEC.decode(reordered)).isEqualTo(disconnect);
      // An HTTP call on the base deployment still writes none of the four.
      assertThat(new String(encoder.encode(sample), StandardCharsets.UTF_8))
          .doesNotContain("webSocketEvent", "connectionMillis", "canary", "traceId");
    }

    @Test
    void round_trips_a_traced_canary_websocket_event_with_all_four_fields_in_record_order() {
      UsageEvent all =
          new UsageEvent(
              sample.schemaVersion(),
              sample.eventId(),
              sample.tenantId(),
              sample.apiId(),
              sample.stage(),
              "$disconnect",
              sample.keyId(),
              sample.appId(),
              sample.planId(),
              200,
              sample.outcome(),
              0,
              0,
              0,
              sample.timestamp(),
              sample.nodeId(),
              "user-7",
              false,
              "DISCONNECT",
              61_000,
              true,
              "4bf92f3577b34da6a3ce929d0e0e4736");

      assertSameAsCodec(all);
      assertThat(new String(encoder.encode(all), StandardCharsets.UTF_8))
          .endsWith(
              ",\"principalId\":\"user-7\",\"webSocketEvent\":\"DISCONNECT\","
                  + "\"connectionMillis\":61000,\"canary\":true,"
                  + "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
      UsageEvent decoded = UsageEventDecoder.decode(encoder.encode(all));
      assertThat(decoded).isEqualTo(all);
      assertThat(decoded.webSocketEvent()).isEqualTo("DISCONNECT");
      assertThat(decoded.connectionMillis()).isEqualTo(61_000);
      assertThat(decoded.canary()).isTrue();
      assertThat(decoded.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void reads_back_what_it_writes() {
      assertThat(UsageEventDecoder.decode(encoder.encode(sample))).isEqualTo(sample);
      UsageEvent unkeyed = event("t\u00e9nant \"q\"", null, null, Outcome.THROTTLED, Instant.EPOCH);
      assertThat(UsageEventDecoder.decode(encoder.encode(unkeyed))).isEqualTo(unkeyed);
    }
  }
}
