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
    return UsageEvent.builder()
        .eventId(UUID.fromString("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0ff"))
        .tenantId(tenantId)
        .apiId("api-1")
        .stage("prod")
        .routeKey(routeKey)
        .keyId(keyId)
        .appId(keyId == null ? null : "app-1")
        .planId(keyId == null ? null : "plan-1")
        .status(200)
        .outcome(outcome)
        .latencyMicros(1_234)
        .bytesIn(0)
        .bytesOut(9_876_543_210L)
        .timestamp(timestamp)
        .nodeId("node-1")
        .build();
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
          http.toBuilder().bytesIn(31).bytesOut(13).webSocketEvent("MESSAGE").build();
      UsageEvent disconnect =
          http.toBuilder()
              .routeKey("$disconnect")
              .status(200)
              .latencyMicros(0)
              .bytesIn(0)
              .bytesOut(0)
              .principalId("alice")
              .webSocketEvent("DISCONNECT")
              .connectionMillis(61_000)
              .build();
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
            UsageEvent.builder()
                .eventId(new UUID(Long.MIN_VALUE, -1L))
                .tenantId("t")
                .apiId("a")
                .stage("s")
                .routeKey("r")
                .keyId("k")
                .appId("p")
                .planId("q")
                .status(-1)
                .outcome(outcome)
                .latencyMicros(Long.MAX_VALUE)
                .bytesIn(Long.MIN_VALUE)
                .bytesOut(-42)
                .timestamp(Instant.ofEpochMilli(1))
                .nodeId("n")
                .build();
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
            UsageEvent.builder()
                .eventId(new UUID(random.nextLong(), random.nextLong()))
                .tenantId("tenant-" + random.nextInt(10))
                .apiId("api-" + random.nextInt(5))
                .stage("stage")
                .routeKey("GET /svc" + random.nextInt(10_000) + "/items/{id}")
                .keyId(random.nextBoolean() ? null : "key-" + random.nextInt())
                .appId("app")
                .planId("plan")
                .status(random.nextInt(100, 600))
                .outcome(Outcome.values()[random.nextInt(Outcome.values().length)])
                .latencyMicros(random.nextLong(0, 30_000_000))
                .bytesIn(random.nextLong(0, 10_000_000))
                .bytesOut(random.nextLong(0, 10_000_000))
                .timestamp(Instant.ofEpochMilli(millis))
                .nodeId("node-" + random.nextInt(3))
                .build());
      }
      events.forEach(UsageEventEncoderTest.this::assertSameAsCodec);
    }
  }

  static UsageEvent withPrincipal(UsageEvent event, String principalId) {
    return event.toBuilder().principalId(principalId).build();
  }

  static UsageEvent asCacheHit(UsageEvent event) {
    return event.toBuilder().cacheHit(true).build();
  }

  static UsageEvent traced(UsageEvent event, String traceId) {
    return event.toBuilder().traceId(traceId).build();
  }

  static UsageEvent onCanary(UsageEvent event) {
    return event.toBuilder().canary(true).build();
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

    /** The sample's connection closing after a minute on the stage's canary. */
    private UsageEvent.Builder canaryDisconnect() {
      return sample.toBuilder()
          .routeKey("$disconnect")
          .status(200)
          .latencyMicros(0)
          .bytesIn(0)
          .bytesOut(0)
          .principalId("user-7")
          .webSocketEvent("DISCONNECT")
          .connectionMillis(61_000)
          .canary(true);
    }

    @Test
    void writes_a_canary_websocket_event_with_the_canary_flag_after_the_websocket_fields() {
      UsageEvent disconnect = canaryDisconnect().cacheHit(true).build();

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
      UsageEvent all = canaryDisconnect().traceId("4bf92f3577b34da6a3ce929d0e0e4736").build();

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
