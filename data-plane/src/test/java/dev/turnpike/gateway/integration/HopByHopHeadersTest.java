package dev.turnpike.gateway.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

  /** The copied headers as "name: value" lines, in order. */
  private static List<String> copied(MultiMap from) {
    MultiMap to = MultiMap.caseInsensitiveMultiMap();
    HopByHopHeaders.copyEndToEnd(from, to);
    return to.entries().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
  }

  @Nested
  class copyEndToEnd {
    @Test
    void drops_every_hop_by_hop_header_whatever_its_case() {
      MultiMap from = MultiMap.caseInsensitiveMultiMap();
      for (String name :
          List.of(
              "Connection",
              "KEEP-ALIVE",
              "proxy-authenticate",
              "Proxy-Authorization",
              "Proxy-Connection",
              "TE",
              "Trailer",
              "Transfer-Encoding",
              "Upgrade",
              "Host",
              "HTTP2-Settings",
              ":authority")) {
        from.add(name, "x");
      }
      from.add("Content-Type", "application/json");

      assertThat(copied(from)).containsExactly("Content-Type: application/json");
    }

    @Test
    void drops_the_headers_the_connection_header_names() {
      MultiMap from = MultiMap.caseInsensitiveMultiMap();
      from.add("Connection", " X-Hop ,close,  x-other\t");
      from.add("x-hop", "1");
      from.add("X-Other", "2");
      from.add("X-Hope", "3");
      from.add("Hop", "4");

      assertThat(copied(from)).containsExactly("X-Hope: 3", "Hop: 4");
    }

    @Test
    void keeps_end_to_end_headers_with_every_value_in_order() {
      MultiMap from = MultiMap.caseInsensitiveMultiMap();
      from.add("Set-Cookie", "a=1");
      from.add("x-api-key", "k");
      from.add("Set-Cookie", "b=2");
      from.add("Teapot", "yes");
      from.add("Hosts", "many");

      assertThat(copied(from))
          .containsExactly(
              "Set-Cookie: a=1", "x-api-key: k", "Set-Cookie: b=2", "Teapot: yes", "Hosts: many");
    }
  }

  @Test
  void listedIn_matches_whole_tokens_only() {
    assertThat(HopByHopHeaders.listedIn("keep-alive, X-Foo", "x-foo")).isTrue();
    assertThat(HopByHopHeaders.listedIn("keep-alive, X-Foo", "foo")).isFalse();
    assertThat(HopByHopHeaders.listedIn("X-Foo-Bar", "x-foo")).isFalse();
    assertThat(HopByHopHeaders.listedIn("a", "a")).isTrue();
    assertThat(HopByHopHeaders.listedIn(null, "a")).isFalse();
  }

  @Nested
  class Forwarding {
    @Test
    void drops_the_clients_forwarding_headers_when_asked() {
      MultiMap from =
          MultiMap.caseInsensitiveMultiMap()
              .add("X-Forwarded-For", "6.6.6.6")
              .add("x-forwarded-proto", "https")
              .add("Forwarded", "for=6.6.6.6")
              .add("X-Real-IP", "6.6.6.6")
              .add("X-Forwardedness", "kept")
              .add("Accept", "kept");
      MultiMap to = MultiMap.caseInsensitiveMultiMap();

      HopByHopHeaders.copyEndToEnd(from, to, true);

      assertThat(to.names()).containsExactlyInAnyOrder("X-Forwardedness", "Accept");
    }
  }

  @Nested
  class Malformed {
    @Test
    void drops_fields_a_stricter_parser_could_read_differently() {
      assertThat(HopByHopHeaders.isWellFormed("X-Ok", "a\tb \u00e9")).isTrue();
      assertThat(HopByHopHeaders.isWellFormed("X-Caf\u00e9", "v")).isFalse();
      assertThat(HopByHopHeaders.isWellFormed("X Space", "v")).isFalse();
      assertThat(HopByHopHeaders.isWellFormed("X(y)", "v")).isFalse();
      assertThat(HopByHopHeaders.isWellFormed("", "v")).isFalse();
      assertThat(HopByHopHeaders.isWellFormed("X-Nul", "a\u0000b")).isFalse();
      assertThat(HopByHopHeaders.isWellFormed("X-Del", "a\u007fb")).isFalse();
    }
  }
}
