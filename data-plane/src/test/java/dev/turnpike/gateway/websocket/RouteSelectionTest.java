package dev.turnpike.gateway.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteSelectionTest {
  final RouteSelection action = RouteSelection.compile("$request.body.action", 10_000);

  @Test
  void selects_the_named_field_of_a_json_object() {
    assertThat(action.select("{\"text\":[1,{\"x\":2}],\"action\":\"send\"}")).isEqualTo("send");
    assertThat(
            RouteSelection.compile("${request.body.meta.kind}", 100)
                .select("{\"meta\":{\"kind\":\"join\"}}"))
        .isEqualTo("join");
  }

  @Test
  void selects_nothing_from_what_is_no_json_object_or_lacks_a_scalar_field() {
    assertThat(action.select("hello")).isNull();
    assertThat(action.select("[\"action\"]")).isNull();
    assertThat(action.select("{\"other\":1}")).isNull();
    assertThat(action.select("{\"action\":{\"nested\":1}}")).isNull();
    assertThat(action.select("{\"action\":null}")).isNull();
    assertThat(action.select("{\"action\":")).isNull();
  }

  @Test
  void a_message_built_to_be_slow_to_search_spends_its_budget_and_selects_nothing() {
    RouteSelection small = RouteSelection.compile("$request.body.action", 50);
    String padded = "{\"pad\":[" + "1,".repeat(100) + "1],\"action\":\"send\"}";
    assertThat(small.select(padded)).isNull();
    assertThat(action.select(padded)).isEqualTo("send");
  }

  @Test
  void refuses_expressions_it_cannot_serve() {
    assertThatThrownBy(() -> RouteSelection.compile("$request.header.x", 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RouteSelection.compile("$request.body.a..b", 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void connection_ids_name_the_node_that_holds_them() {
    String id = new ConnectionIds("gw-1").next();
    assertThat(ConnectionIds.nodeOf(id)).isEqualTo("gw-1");
    assertThat(ConnectionIds.nodeOf("forged")).isNull();
    assertThat(new ConnectionIds("gw-1").next()).isNotEqualTo(id);
  }
}
