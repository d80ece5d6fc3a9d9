package dev.turnpike.controlplane.console.pages;

import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.websocket.WebSocketApi;
import dev.turnpike.controlplane.websocket.WebSocketRouteSpec;
import dev.turnpike.controlplane.websocket.WebSocketRouteSpec.FunctionSpec;
import dev.turnpike.controlplane.websocket.WebSocketRouteSpec.IntegrationSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The WebSocket page's route table, one row of fields per route (named {@code r.<row>.<field>}),
 * without JavaScript: the definition's routes plus {@link #BLANK_ROWS} blank rows; a blank row is
 * ignored and a row ticked "remove" is left out. The use case reports a route's problems by its
 * place in the list it was given ({@code /routes/2/routeKey}), which skips those rows, so each row
 * is shown with the pointer of the place it was sent at.
 */
final class WebSocketRouteRows {
  static final int BLANK_ROWS = 3;

  /** The integration types a WebSocket route takes; empty for a route without one. */
  static final List<String> TYPES = List.of("", "mock", "http_proxy", "http", "aws_proxy");

  /** Past the contract's limit, so a table that long is refused by the use case, not cut. */
  private static final int MAX_ROWS = WebSocketApiConfig.MAX_ROUTES * 2;

  /** The pointers under a route's own that the use case and this form report. */
  private static final List<String> SUFFIXES =
      List.of(
          "",
          "/routeKey",
          "/apiKeyRequired",
          "/authorization",
          "/twoWay",
          "/throttle",
          "/throttle/rateLimit",
          "/throttle/burstLimit",
          "/integration",
          "/integration/type",
          "/integration/uri",
          "/integration/connectTimeoutMillis",
          "/integration/timeoutMillis",
          "/integration/mock/statusCode",
          "/integration/function/name");

  /** Fields whose text makes a row count: a select always sends a value, so only these do. */
  private static final List<String> TEXT_FIELDS =
      List.of(
          "routeKey",
          "type",
          "authorizer",
          "scopes",
          "uri",
          "connectTimeoutMillis",
          "timeoutMillis",
          "mockStatus",
          "mockBody",
          "throttleRate",
          "throttleBurst");

  private static final List<String> CHECKBOXES = List.of("apiKeyRequired", "twoWay");

  /**
   * One row as the template renders it.
   *
   * @param pointer the use case's pointer for the route this row was sent as ({@code /routes/2}); a
   *     row that was not sent (blank, removed) has one no message names
   */
  public record Row(int index, String pointer) {
    public String name(String field) {
      return WebSocketRouteRows.name(index, field);
    }

    /** The element id of one of this row's fields, for its label. */
    public String id(String field) {
      return "ws-r" + index + "-" + field;
    }
  }

  private WebSocketRouteRows() {}

  static String name(int row, String field) {
    return "r." + row + "." + field;
  }

  /**
   * The form showing {@code api}'s definition; an HTTP API's shows API Gateway's usual expression.
   */
  static Form fill(WebSocketApi api) {
    Form form =
        Form.empty()
            .set(
                "routeSelectionExpression",
                api == null
                    ? WebSocketApiConfig.DEFAULT_SELECTION
                    : api.routeSelectionExpression());
    if (api == null) {
      return form;
    }
    List<WebSocketRouteSpec> routes = api.routes();
    for (int i = 0; i < routes.size(); i++) {
      WebSocketRouteSpec route = routes.get(i);
      form.set(name(i, "routeKey"), route.routeKey())
          .set(name(i, "apiKeyRequired"), Boolean.TRUE.equals(route.apiKeyRequired()) ? "on" : "")
          .set(name(i, "twoWay"), Boolean.TRUE.equals(route.twoWay()) ? "on" : "");
      ThrottleLimit throttle = route.throttle();
      if (throttle != null) {
        form.set(name(i, "throttleRate"), decimalText(throttle.rateLimit()))
            .set(name(i, "throttleBurst"), Integer.toString(throttle.burstLimit()));
      }
      RouteAuthorization authorization = route.authorization();
      if (authorization != null) {
        form.set(name(i, "authorizer"), authorization.authorizerId())
            .set(name(i, "scopes"), String.join(" ", authorization.scopes()));
      }
      IntegrationSpec integration = route.integration();
      if (integration == null) {
        continue;
      }
      form.set(name(i, "type"), typeName(integration.type()))
          .set(name(i, "uri"), integration.uri())
          .set(name(i, "connectTimeoutMillis"), text(integration.connectTimeoutMillis()))
          .set(name(i, "timeoutMillis"), text(integration.timeoutMillis()));
      if (integration.mock() != null) {
        form.set(name(i, "mockStatus"), Integer.toString(integration.mock().statusCode()))
            .set(name(i, "mockBody"), integration.mock().body());
      }
      if (integration.function() != null) {
        form.set(name(i, "function"), integration.function().name())
            .set(name(i, "payloadFormatVersion"), integration.function().payloadFormatVersion());
      }
    }
    return form;
  }

  /** The rows to render: those filled in up to the last one, then {@link #BLANK_ROWS} blank. */
  static List<Row> rows(Form form) {
    int last = -1;
    for (int i = 0; i < MAX_ROWS; i++) {
      if (filled(form::raw, form::checked, i)) {
        last = i;
      }
    }
    List<Row> rows = new ArrayList<>();
    int sent = 0;
    for (int i = 0; i <= last + BLANK_ROWS; i++) {
      boolean counts = filled(form::raw, form::checked, i) && !form.checked(name(i, "remove"));
      rows.add(new Row(i, counts ? "/routes/" + sent++ : "/routes/-row" + i));
    }
    return rows;
  }

  /** Every pointer the rows place beside a field, for {@link Form#placing}. */
  static Set<String> pointers(List<Row> rows) {
    Set<String> pointers = new HashSet<>();
    for (Row row : rows) {
      SUFFIXES.forEach(suffix -> pointers.add(row.pointer() + suffix));
    }
    return pointers;
  }

  /**
   * What the form states, in the export format the use case takes; numbers that do not parse and
   * unknown types are reported to {@code in} under the pointer of the route they belong to.
   */
  static WebSocketApi read(FormInput in) {
    List<WebSocketRouteSpec> routes = new ArrayList<>();
    for (int i = 0; i < MAX_ROWS && !in.all(name(i, "routeKey")).isEmpty(); i++) {
      if (in.checked(name(i, "remove")) || !filled(in::text, in::checked, i)) {
        continue;
      }
      routes.add(route(in, i, "/routes/" + routes.size()));
    }
    return new WebSocketApi(null, null, in.text("routeSelectionExpression"), routes, null, null);
  }

  private static WebSocketRouteSpec route(FormInput in, int row, String at) {
    String authorizer = in.text(name(row, "authorizer"));
    RouteAuthorization authorization =
        authorizer == null
            ? null
            : new RouteAuthorization(authorizer, scopes(in.text(name(row, "scopes"))));
    return new WebSocketRouteSpec(
        in.text(name(row, "routeKey")),
        in.checked(name(row, "apiKeyRequired")) ? Boolean.TRUE : null,
        authorization,
        integration(in, row, at + "/integration"),
        in.checked(name(row, "twoWay")) ? Boolean.TRUE : null,
        throttle(in, row, at + "/throttle"));
  }

  /** The row's message throttle: none when both fields are empty, both needed otherwise. */
  private static ThrottleLimit throttle(FormInput in, int row, String at) {
    Double rate = in.decimal(name(row, "throttleRate"), at + "/rateLimit");
    Integer burst = in.integer(name(row, "throttleBurst"), at + "/burstLimit");
    if (rate == null && burst == null) {
      return null;
    }
    if (rate == null || burst == null) {
      in.error(at, "needs both a rate (messages per second) and a burst");
      return null;
    }
    if (rate < 0 || burst < 0) {
      in.error(at, "rate and burst must not be negative");
      return null;
    }
    return new ThrottleLimit(rate, burst);
  }

  /** The row's integration: only the fields of its type are sent, as the API's JSON would. */
  private static IntegrationSpec integration(FormInput in, int row, String at) {
    String type = in.text(name(row, "type"));
    if (type == null) {
      return null;
    }
    IntegrationType parsed =
        switch (type) {
          case "mock" -> IntegrationType.MOCK;
          case "http" -> IntegrationType.HTTP;
          case "http_proxy" -> IntegrationType.HTTP_PROXY;
          case "aws_proxy" -> IntegrationType.AWS_PROXY;
          default -> null;
        };
    if (parsed == null) {
      in.error(at + "/type", "must be mock, http, http_proxy or aws_proxy for a WebSocket route");
      return null;
    }
    if (parsed == IntegrationType.MOCK) {
      Integer status = in.integer(name(row, "mockStatus"), at + "/mock/statusCode");
      String body = in.all(name(row, "mockBody")).stream().findFirst().orElse("");
      return new IntegrationSpec(
          parsed,
          null,
          null,
          null,
          new MockResponse(status == null ? 200 : status, Map.of(), body),
          null);
    }
    Integer connect = in.integer(name(row, "connectTimeoutMillis"), at + "/connectTimeoutMillis");
    Integer timeout = in.integer(name(row, "timeoutMillis"), at + "/timeoutMillis");
    if (parsed == IntegrationType.AWS_PROXY) {
      return new IntegrationSpec(
          parsed,
          null,
          connect,
          timeout,
          null,
          new FunctionSpec(
              in.text(name(row, "function")), in.text(name(row, "payloadFormatVersion"))));
    }
    return new IntegrationSpec(parsed, in.text(name(row, "uri")), connect, timeout, null, null);
  }

  /** Whether row {@code row} states anything: text in a field or a ticked box. */
  private static boolean filled(Function<String, String> text, Predicate<String> checked, int row) {
    return TEXT_FIELDS.stream().anyMatch(f -> text.apply(name(row, f)) != null)
        || CHECKBOXES.stream().anyMatch(f -> checked.test(name(row, f)));
  }

  /** The values routes of the form name in one field, e.g. every authorizer id a row holds. */
  static Set<String> values(Form form, List<Row> rows, String field) {
    Set<String> values = new HashSet<>();
    for (Row row : rows) {
      String value = form.raw(row.name(field));
      if (value != null) {
        values.add(value);
      }
    }
    return values;
  }

  private static String typeName(IntegrationType type) {
    return switch (type) {
      case MOCK -> "mock";
      case HTTP -> "http";
      case HTTP_PROXY -> "http_proxy";
      case AWS_PROXY -> "aws_proxy";
      case AWS -> "aws";
      case UNKNOWN -> "unknown";
    };
  }

  /** A JWT authorizer's scopes, space separated as OAuth writes them (commas accepted too). */
  private static List<String> scopes(String text) {
    List<String> scopes = new ArrayList<>();
    if (text != null) {
      for (String scope : text.split("[\\s,]+")) {
        if (!scope.isEmpty()) {
          scopes.add(scope);
        }
      }
    }
    return scopes;
  }

  private static String decimalText(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static String text(Integer value) {
    return value == null ? "" : value.toString();
  }
}
