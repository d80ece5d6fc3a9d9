package dev.turnpike.contracts.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.json.ContractDecodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BillingStandingTest {
  static final BillingStanding SUSPENDED =
      new BillingStanding(
          BillingStanding.SCHEMA_VERSION,
          "t-1",
          "a-1",
          BillingStanding.Standing.SUSPENDED,
          7,
          Instant.parse("2026-12-01T10:00:00Z"));

  @Test
  void round_trips_through_its_codec() {
    assertThat(BillingStanding.CODEC.decode(BillingStanding.CODEC.encode(SUSPENDED)))
        .isEqualTo(SUSPENDED);
  }

  @Test
  void is_keyed_by_tenant_and_app() {
    assertThat(SUSPENDED.key()).isEqualTo(Topics.appKey("t-1", "a-1")).isEqualTo("t-1/a-1");
  }

  @Test
  void only_a_newer_revision_is_newer() {
    assertThat(SUSPENDED.newerThan(6)).isTrue();
    assertThat(SUSPENDED.newerThan(7)).isFalse();
    assertThat(SUSPENDED.newerThan(8)).isFalse();
  }

  @Test
  void an_unknown_standing_reads_as_unknown_and_a_newer_schema_is_refused() {
    String unknown =
        "{\"schemaVersion\":1,\"tenantId\":\"t\",\"appId\":\"a\",\"standing\":\"ON_HOLD\","
            + "\"revision\":1,\"decidedAt\":\"2026-12-01T10:00:00Z\"}";
    assertThat(BillingStanding.CODEC.decode(unknown.getBytes(StandardCharsets.UTF_8)).standing())
        .isEqualTo(BillingStanding.Standing.UNKNOWN);
    assertThatThrownBy(
            () ->
                BillingStanding.CODEC.decode(
                    unknown
                        .replace("\"schemaVersion\":1", "\"schemaVersion\":2")
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ContractDecodingException.class);
  }

  @Test
  void stored_values_map_both_ways() {
    for (BillingStanding.Standing s :
        new BillingStanding.Standing[] {
          BillingStanding.Standing.GOOD, BillingStanding.Standing.SUSPENDED
        }) {
      assertThat(BillingStanding.Standing.fromWire(s.wire())).isEqualTo(s);
    }
    assertThat(BillingStanding.Standing.of(true)).isEqualTo(BillingStanding.Standing.SUSPENDED);
    assertThat(BillingStanding.Standing.of(false)).isEqualTo(BillingStanding.Standing.GOOD);
  }
}
