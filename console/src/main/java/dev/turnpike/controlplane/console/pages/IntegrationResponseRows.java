package dev.turnpike.controlplane.console.pages;

import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Integrations;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The integration responses as rows of the integration page, in the order their selection patterns
 * are tried (a list, unlike {@link dev.turnpike.controlplane.console.web.KeyedRows}: the default
 * response has no pattern to key it by). A row edits one response: its selection pattern, status,
 * content handling, its response parameters as {@code target = source} lines and the template for
 * one Content-Type. Templates a response holds for other Content-Types (set through the management
 * API or an import) are kept when the row with the same selection pattern is saved. Blank rows and
 * rows ticked "remove" are ignored. Field names are {@code ir.index.field}.
 */
public final class IntegrationResponseRows {
  static final String PREFIX = "ir.";
  static final List<String> CONTENT_HANDLINGS = List.of("CONVERT_TO_TEXT", "CONVERT_TO_BINARY");
  private static final List<String> FIELDS =
      List.of(
          "selectionPattern", "statusCode", "contentHandling", "parameters", "type", "template");
  private static final int MAX_ROWS = 100;
  private static final int BLANK_ROWS = 1;

  /** One row as the page renders it. */
  public record Row(int index) {
    public String name(String field) {
      return PREFIX + index + "." + field;
    }

    /** The pointer the use case reports for this row's field, while rows are not skipped. */
    public String pointer(String field) {
      return "/integrationResponses/" + index + "/" + field;
    }
  }

  private IntegrationResponseRows() {}

  static String name(int index, String field) {
    return PREFIX + index + "." + field;
  }

  /** Whether the form sent the table at all; a form from before it leaves the responses as are. */
  static boolean wasSent(FormInput in) {
    return FIELDS.stream().anyMatch(f -> !in.all(name(0, f)).isEmpty());
  }

  /** The rows to render: the filled ones, then a blank one. */
  static List<Row> rows(Form form) {
    int last = -1;
    for (int i = 0; i < MAX_ROWS; i++) {
      for (String field : FIELDS) {
        if (form.raw(name(i, field)) != null) {
          last = i;
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i <= last + BLANK_ROWS; i++) {
      rows.add(new Row(i));
    }
    return rows;
  }

  /** The pointers the rows show beside their fields. */
  static Set<String> pointers(List<Row> rows) {
    Set<String> pointers = new HashSet<>();
    for (Row row : rows) {
      for (String field : List.of("selectionPattern", "statusCode", "contentHandling")) {
        pointers.add(row.pointer(field));
      }
    }
    return pointers;
  }

  /** The page's fields for the responses an integration has. */
  static void fill(Form form, Integration integration) {
    int i = 0;
    for (var response : integration.integrationResponses()) {
      form.set(name(i, "selectionPattern"), response.selectionPattern())
          .set(name(i, "statusCode"), Integer.toString(response.statusCode()))
          .set(
              name(i, "contentHandling"),
              response.contentHandling() == null ? "" : response.contentHandling().name());
      StringBuilder parameters = new StringBuilder();
      new TreeMap<>(response.responseParameters())
          .forEach((k, v) -> parameters.append(k).append(" = ").append(v).append('\n'));
      form.set(name(i, "parameters"), parameters.toString());
      Map<String, String> templates = new TreeMap<>(response.responseTemplates());
      String type =
          templates.containsKey(IntegrationEditPage.JSON)
              ? IntegrationEditPage.JSON
              : templates.isEmpty()
                  ? IntegrationEditPage.JSON
                  : templates.keySet().iterator().next();
      form.set(name(i, "type"), type).set(name(i, "template"), templates.get(type));
      i++;
    }
  }

  /**
   * The responses sent, in their order. A status that is not a number is reported beside its row;
   * the use case checks the rest (patterns, statuses, parameters and templates).
   */
  static List<Integrations.IntegrationResponseInput> read(FormInput in, Integration before) {
    List<Integrations.IntegrationResponseInput> responses = new ArrayList<>();
    for (int i = 0; i < MAX_ROWS; i++) {
      final int index = i;
      if (FIELDS.stream().allMatch(f -> in.all(name(index, f)).isEmpty())) {
        break;
      }
      if (in.checked(name(i, "remove")) || blank(in, i)) {
        continue;
      }
      String pattern = raw(in, name(i, "selectionPattern"));
      Integer status =
          in.integer(
              name(i, "statusCode"), "/integrationResponses/" + responses.size() + "/statusCode");
      String type = Objects.requireNonNullElse(in.text(name(i, "type")), IntegrationEditPage.JSON);
      Map<String, String> templates = keptTemplates(before, pattern, type);
      String template = raw(in, name(i, "template"));
      if (template != null) {
        templates.put(type, template);
      }
      responses.add(
          new Integrations.IntegrationResponseInput(
              pattern,
              status,
              IntegrationEditPage.lines(raw(in, name(i, "parameters"), ""), '='),
              templates,
              in.text(name(i, "contentHandling"))));
    }
    return responses;
  }

  private static boolean blank(FormInput in, int i) {
    // The type has a default, so a row with only a type is still blank.
    return FIELDS.stream()
        .filter(f -> !f.equals("type"))
        .allMatch(f -> in.text(name(i, f)) == null);
  }

  /**
   * The templates the response with this selection pattern has for other Content-Types: the row
   * edits one, the others stay.
   */
  private static Map<String, String> keptTemplates(
      Integration before, String pattern, String editedType) {
    Map<String, String> kept = new LinkedHashMap<>();
    for (var response : before.integrationResponses()) {
      if (Objects.equals(response.selectionPattern(), pattern)) {
        response
            .responseTemplates()
            .forEach(
                (type, template) -> {
                  if (!type.equals(editedType)) {
                    kept.put(type, template);
                  }
                });
      }
    }
    return kept;
  }

  /** A textarea's text as typed (browsers send CRLF), null when blank. */
  private static String raw(FormInput in, String name) {
    return raw(in, name, null);
  }

  private static String raw(FormInput in, String name, String blank) {
    List<String> values = in.all(name);
    String value = values.isEmpty() ? "" : values.getFirst().replace("\r\n", "\n");
    return value.isBlank() ? blank : value;
  }
}
