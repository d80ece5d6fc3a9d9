package dev.turnpike.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  /** Builds a table whose value for each route is "METHOD path", so a match names its route. */
  private static RouteTable<String> table(String... routes) {
    RouteTable.Builder<String> builder = RouteTable.builder();
    for (String route : routes) {
      String[] methodAndPath = route.split(" ");
      builder.add(methodAndPath[0], methodAndPath[1], route);
    }
    return builder.build();
  }

  private static <T> RouteMatch.Found<T> found(RouteMatch<T> match) {
    if (match instanceof RouteMatch.Found<T> found) {
      return found;
    }
    return fail("expected a route to match, but got " + match);
  }

  private static String routeFor(RouteTable<String> table, String method, String path) {
    return found(table.match(method, path)).value();
  }

  @Nested
  class Precedence {

    private final RouteTable<String> table =
        table("GET /pets/mine", "GET /pets/{petId}", "GET /pets/{proxy+}");

    @Test
    void literal_beats_param_at_same_level() {
      assertThat(routeFor(table, "GET", "/pets/mine")).isEqualTo("GET /pets/mine");
    }

    @Test
    void param_beats_greedy_proxy_at_same_level() {
      assertThat(routeFor(table, "GET", "/pets/42")).isEqualTo("GET /pets/{petId}");
    }

    @Test
    void greedy_proxy_catches_deeper_paths() {
      RouteMatch.Found<String> match = found(table.match("GET", "/pets/42/toys/7"));

      assertThat(match.value()).isEqualTo("GET /pets/{proxy+}");
      assertThat(match.pathParameters()).containsExactly(Map.entry("proxy", "42/toys/7"));
    }

    @Test
    void root_resource_matches_slash() {
      RouteTable<String> withRoot = table("GET /", "GET /{proxy+}");

      assertThat(routeFor(withRoot, "GET", "/")).isEqualTo("GET /");
      assertThat(routeFor(withRoot, "GET", "/anything")).isEqualTo("GET /{proxy+}");
    }

    @Test
    void greedy_proxy_needs_at_least_one_segment() {
      RouteTable<String> proxyOnly = table("ANY /{proxy+}");

      assertThat(proxyOnly.match("GET", "/")).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void match_reports_the_declared_resource_path() {
      assertThat(found(table.match("GET", "/pets/42")).resourcePath()).isEqualTo("/pets/{petId}");
      assertThat(found(table.match("GET", "/pets/1/2")).resourcePath()).isEqualTo("/pets/{proxy+}");
      assertThat(found(table("GET /").match("GET", "/")).resourcePath()).isEqualTo("/");
    }
  }

  @Nested
  class FallThrough {

    @Test
    void literal_without_deeper_match_falls_back_to_root_proxy() {
      // The AWS-documented case: /part1, /part1/fixed and /{param+} defined.
      RouteTable<String> table = table("GET /part1", "GET /part1/fixed", "GET /{param+}");

      RouteMatch.Found<String> match = found(table.match("GET", "/part1/other"));

      assertThat(match.value()).isEqualTo("GET /{param+}");
      assertThat(match.pathParameters()).containsExactly(Map.entry("param", "part1/other"));
    }

    @Test
    void literal_without_method_falls_through_to_sibling_proxy() {
      RouteTable<String> table = table("POST /orders", "GET /{proxy+}");

      assertThat(routeFor(table, "POST", "/orders")).isEqualTo("POST /orders");
      assertThat(routeFor(table, "GET", "/orders")).isEqualTo("GET /{proxy+}");
    }

    @Test
    void literal_without_method_falls_through_to_param_sibling() {
      RouteTable<String> table = table("POST /pets/mine", "GET /pets/{petId}");

      RouteMatch.Found<String> match = found(table.match("GET", "/pets/mine"));

      assertThat(match.value()).isEqualTo("GET /pets/{petId}");
      assertThat(match.pathParameters()).containsExactly(Map.entry("petId", "mine"));
    }

    @Test
    void param_without_method_falls_through_to_greedy_sibling() {
      RouteTable<String> table = table("POST /files/{name}", "GET /files/{path+}");

      assertThat(routeFor(table, "POST", "/files/a")).isEqualTo("POST /files/{name}");
      RouteMatch.Found<String> match = found(table.match("GET", "/files/a"));
      assertThat(match.value()).isEqualTo("GET /files/{path+}");
      assertThat(match.pathParameters()).containsExactly(Map.entry("path", "a"));
    }

    @Test
    void param_without_deeper_match_falls_through_to_greedy_sibling() {
      RouteTable<String> table = table("GET /files/{name}", "GET /files/{path+}");

      assertThat(routeFor(table, "GET", "/files/a/b")).isEqualTo("GET /files/{path+}");
    }

    @Test
    void deeper_proxy_wins_over_shallower_proxy() {
      RouteTable<String> table = table("GET /{proxy+}", "GET /api/{rest+}");

      RouteMatch.Found<String> match = found(table.match("GET", "/api/v1/users"));

      assertThat(match.value()).isEqualTo("GET /api/{rest+}");
      assertThat(match.pathParameters()).containsExactly(Map.entry("rest", "v1/users"));
    }

    @Test
    void proxy_without_method_is_a_miss() {
      RouteTable<String> table = table("GET /pets", "POST /{proxy+}");

      assertThat(table.match("DELETE", "/pets")).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void unknown_path_is_a_miss() {
      RouteTable<String> table = table("GET /pets", "GET /pets/{petId}");

      assertThat(table.match("GET", "/owners")).isInstanceOf(RouteMatch.NotFound.class);
      assertThat(table.match("GET", "/pets/1/toys")).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void resource_without_any_method_is_a_miss() {
      // /pets exists only as the parent of /pets/{petId}.
      RouteTable<String> table = table("GET /pets/{petId}");

      assertThat(table.match("GET", "/pets")).isInstanceOf(RouteMatch.NotFound.class);
    }
  }

  @Nested
  class AnyMethod {

    @Test
    void undeclared_method_falls_back_to_any_on_the_same_resource() {
      RouteTable<String> table = table("GET /pets", "ANY /pets");

      assertThat(routeFor(table, "GET", "/pets")).isEqualTo("GET /pets");
      assertThat(routeFor(table, "DELETE", "/pets")).isEqualTo("ANY /pets");
    }

    @Test
    void any_serves_methods_no_resource_can_declare() {
      RouteTable<String> table = table("ANY /pets", "GET /owners");

      assertThat(routeFor(table, "PROPFIND", "/pets")).isEqualTo("ANY /pets");
      assertThat(table.match("PROPFIND", "/owners")).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void request_method_is_case_sensitive() {
      RouteTable<String> table = table("GET /pets");

      assertThat(table.match("get", "/pets")).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void declared_method_is_case_insensitive() {
      RouteTable<String> table = RouteTable.<String>builder().add("get", "/pets", "pets").build();

      assertThat(routeFor(table, "GET", "/pets")).isEqualTo("pets");
    }

    @Test
    void request_method_any_is_not_a_wildcard() {
      RouteTable<String> table = table("GET /pets");

      assertThat(table.match("ANY", "/pets")).isInstanceOf(RouteMatch.NotFound.class);
    }
  }

  @Nested
  class PathParameters {

    @Test
    void captures_every_param_along_the_path() {
      RouteTable<String> table = table("GET /owners/{ownerId}/pets/{petId}/toys");

      RouteMatch.Found<String> match = found(table.match("GET", "/owners/7/pets/42/toys"));

      assertThat(match.pathParameters())
          .containsOnly(Map.entry("ownerId", "7"), Map.entry("petId", "42"));
    }

    @Test
    void route_without_variables_has_no_parameters() {
      assertThat(found(table("GET /pets").match("GET", "/pets")).pathParameters()).isEmpty();
    }

    @Test
    void parameters_are_percent_decoded() {
      RouteTable<String> table = table("GET /users/{name}");

      RouteMatch.Found<String> match = found(table.match("GET", "/users/Zo%C3%AB%20Smith"));

      assertThat(match.pathParameters()).containsExactly(Map.entry("name", "Zoë Smith"));
    }

    @Test
    void plus_stays_plus_in_path_parameters() {
      RouteTable<String> table = table("GET /tags/{tag}");

      assertThat(found(table.match("GET", "/tags/c++")).pathParameters())
          .containsExactly(Map.entry("tag", "c++"));
    }

    @Test
    void encoded_slash_stays_inside_one_parameter() {
      RouteTable<String> table = table("GET /files/{name}");

      assertThat(found(table.match("GET", "/files/a%2Fb")).pathParameters())
          .containsExactly(Map.entry("name", "a/b"));
    }

    @Test
    void greedy_proxy_value_is_decoded_and_keeps_a_trailing_slash() {
      RouteTable<String> table = table("ANY /{proxy+}");

      assertThat(found(table.match("GET", "/a%20b/c/")).pathParameters())
          .containsExactly(Map.entry("proxy", "a b/c/"));
    }

    @Test
    void parameters_map_is_immutable() {
      RouteTable<String> table = table("GET /pets/{petId}");
      Map<String, String> parameters = found(table.match("GET", "/pets/1")).pathParameters();

      assertThatThrownBy(() -> parameters.put("petId", "2"))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void percent_encoded_literal_segment_matches_the_literal() {
      RouteTable<String> table = table("GET /~admin", "GET /{name}");

      assertThat(routeFor(table, "GET", "/%7Eadmin")).isEqualTo("GET /~admin");
    }
  }

  @Nested
  class MalformedEncoding {

    private final RouteTable<String> table = table("GET /users/{name}", "GET /{proxy+}");

    @Test
    void truncated_escape_is_a_bad_request() {
      assertThat(table.match("GET", "/users/abc%2"))
          .isEqualTo(
              new RouteMatch.MalformedPath<>("Invalid percent-encoding in path parameter 'name'"));
    }

    @Test
    void non_hex_escape_is_a_bad_request() {
      assertThat(table.match("GET", "/users/%zz")).isInstanceOf(RouteMatch.MalformedPath.class);
    }

    @Test
    void invalid_utf8_is_a_bad_request() {
      assertThat(table.match("GET", "/users/%C3%28")).isInstanceOf(RouteMatch.MalformedPath.class);
      assertThat(table.match("GET", "/%FF")).isInstanceOf(RouteMatch.MalformedPath.class);
    }

    @Test
    void malformed_segment_on_an_unmatched_path_is_a_miss() {
      RouteTable<String> literalsOnly = table("GET /users");

      assertThat(literalsOnly.match("GET", "/users%zz")).isInstanceOf(RouteMatch.NotFound.class);
    }
  }

  @Nested
  class SlashesInRequests {

    private final RouteTable<String> table = table("GET /pets", "GET /pets/{petId}");

    @Test
    void trailing_slash_matches_the_resource() {
      assertThat(routeFor(table, "GET", "/pets/")).isEqualTo("GET /pets");
      assertThat(found(table.match("GET", "/pets/42/")).pathParameters())
          .containsExactly(Map.entry("petId", "42"));
    }

    @Test
    void double_slashes_are_ignored() {
      assertThat(routeFor(table, "GET", "//pets")).isEqualTo("GET /pets");
      assertThat(found(table.match("GET", "/pets//42")).pathParameters())
          .containsExactly(Map.entry("petId", "42"));
    }

    @Test
    void only_slashes_is_the_root() {
      assertThat(routeFor(table("GET /"), "GET", "///")).isEqualTo("GET /");
      assertThat(table.match("GET", "///")).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void empty_path_is_the_root() {
      assertThat(routeFor(table("GET /"), "GET", "")).isEqualTo("GET /");
    }
  }

  @Nested
  class Validation {

    private final RouteTable.Builder<String> builder = RouteTable.builder();

    @Test
    void rejects_two_differently_named_params_at_one_level() {
      builder.add("GET", "/pets/{a}", "a");

      assertThatThrownBy(() -> builder.add("GET", "/pets/{b}/toys", "b"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'/pets/{b}/toys' conflicts with '/pets/{a}'");
    }

    @Test
    void rejects_two_differently_named_greedy_variables_at_one_level() {
      builder.add("GET", "/{proxy+}", "a");

      assertThatThrownBy(() -> builder.add("GET", "/{rest+}", "b"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("conflicts with '/{proxy+}'");
    }

    @Test
    void accepts_the_same_param_on_many_routes() {
      builder.add("GET", "/pets/{petId}", "get").add("DELETE", "/pets/{petId}", "delete");
      builder.add("GET", "/pets/{petId}/toys", "toys");

      assertThat(builder.build().size()).isEqualTo(3);
    }

    @Test
    void rejects_greedy_variable_before_the_last_segment() {
      assertThatThrownBy(() -> builder.add("GET", "/{proxy+}/toys", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("greedy {proxy+} must be the last segment");
    }

    @Test
    void rejects_duplicate_method_and_path() {
      builder.add("GET", "/pets", "first");

      assertThatThrownBy(() -> builder.add("get", "/pets", "second"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Duplicate route: GET /pets");
    }

    @Test
    void rejects_unsupported_method() {
      assertThatThrownBy(() -> builder.add("TRACE", "/pets", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unsupported HTTP method 'TRACE'");
      assertThatThrownBy(() -> builder.add(null, "/pets", "x"))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejects_path_without_leading_slash() {
      assertThatThrownBy(() -> builder.add("GET", "pets", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must start with '/'");
    }

    @Test
    void rejects_empty_segments() {
      assertThatThrownBy(() -> builder.add("GET", "/pets//toys", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty segment");
      assertThatThrownBy(() -> builder.add("GET", "/pets/", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty segment");
    }

    @Test
    void rejects_partial_variables_and_bad_names() {
      assertThatThrownBy(() -> builder.add("GET", "/pets/id{petId}", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("segment 'id{petId}'");
      assertThatThrownBy(() -> builder.add("GET", "/pets/{}", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid variable '{}'");
      assertThatThrownBy(() -> builder.add("GET", "/pets/{a b}", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid variable '{a b}'");
    }

    @Test
    void rejects_percent_in_literal_segments() {
      assertThatThrownBy(() -> builder.add("GET", "/a%20b", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("segment 'a%20b'");
    }

    @Test
    void rejects_the_same_variable_twice_on_one_path() {
      assertThatThrownBy(() -> builder.add("GET", "/a/{id}/b/{id}", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("declares the variable 'id' twice");
    }

    @Test
    void rejects_null_value() {
      assertThatThrownBy(() -> builder.add("GET", "/pets", null))
          .isInstanceOf(NullPointerException.class);
    }

    @Test
    void builds_from_a_list_of_definitions() {
      RouteTable<Integer> table =
          RouteTable.of(
              List.of(
                  new RouteDefinition<>("GET", "/pets", 1),
                  new RouteDefinition<>("POST", "/pets", 2)));

      assertThat(table.size()).isEqualTo(2);
      assertThat(found(table.match("POST", "/pets")).value()).isEqualTo(2);
    }
  }

  @Nested
  class Scale {

    @Test
    void ten_thousand_routes_still_match_correctly() {
      List<RouteDefinition<String>> routes = new ArrayList<>();
      for (int i = 0; i < 2_500; i++) {
        routes.add(new RouteDefinition<>("GET", "/service" + i + "/items", "list " + i));
        routes.add(new RouteDefinition<>("POST", "/service" + i + "/items", "create " + i));
        routes.add(new RouteDefinition<>("GET", "/service" + i + "/items/{itemId}", "get " + i));
        routes.add(new RouteDefinition<>("ANY", "/service" + i + "/{proxy+}", "proxy " + i));
      }
      RouteTable<String> table = RouteTable.of(routes);

      assertThat(table.size()).isEqualTo(10_000);
      for (int i = 0; i < 2_500; i += 7) {
        assertThat(found(table.match("GET", "/service" + i + "/items")).value())
            .isEqualTo("list " + i);
        assertThat(found(table.match("POST", "/service" + i + "/items")).value())
            .isEqualTo("create " + i);
        RouteMatch.Found<String> item = found(table.match("GET", "/service" + i + "/items/x" + i));
        assertThat(item.value()).isEqualTo("get " + i);
        assertThat(item.pathParameters()).containsExactly(Map.entry("itemId", "x" + i));
        assertThat(found(table.match("DELETE", "/service" + i + "/items")).value())
            .isEqualTo("proxy " + i);
      }
      assertThat(table.match("GET", "/service2500/items")).isInstanceOf(RouteMatch.NotFound.class);
    }
  }
}
