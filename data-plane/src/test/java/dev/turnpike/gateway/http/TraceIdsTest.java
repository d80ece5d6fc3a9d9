package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TraceIdsTest {
  @Nested
  class Traceparent {
    @Test
    void takes_the_trace_id_of_a_well_formed_header() {
      assertThat(
              TraceIds.fromTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
          .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void ignores_a_malformed_or_all_zero_one() {
      assertThat(
              TraceIds.fromTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
          .isNull();
      assertThat(
              TraceIds.fromTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
          .isNull();
      assertThat(TraceIds.fromTraceparent("00-4bf92f3577b34da6\nforged log line-00f067aa0b-01"))
          .isNull();
      assertThat(TraceIds.fromTraceparent("garbage")).isNull();
    }
  }

  @Nested
  class Amazon {
    @Test
    void takes_the_root_among_the_fields() {
      assertThat(
              TraceIds.fromAmazon(
                  "Self=1-67891234-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793;"
                      + "Sampled=1"))
          .isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
    }

    @Test
    void ignores_a_root_of_another_shape() {
      assertThat(TraceIds.fromAmazon("Root=1-5759e988-bd86 forged")).isNull();
      assertThat(TraceIds.fromAmazon("Parent=53995c3f42cd8ad8")).isNull();
    }
  }
}
