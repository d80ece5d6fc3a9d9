package dev.turnpike.controlplane.openapi;

/**
 * OpenAPI documents of a chosen number of paths, for the import's scale tests and benchmark. The
 * paths share prefixes and a path variable at one level ({@code /svc{i / 100}/items/{id}/op{i}}),
 * as a large real API does, so the checks between paths have work to do.
 */
public final class LargeDocuments {
  private LargeDocuments() {}

  /** Every path a GET with a mock integration: a document the import accepts. */
  public static String withMocks(int paths) {
    return document(
        paths,
        "{\"get\":{\"x-amazon-apigateway-integration\":{\"type\":\"mock\","
            + "\"responses\":{\"default\":{\"statusCode\":\"200\"}}}}}");
  }

  /** Every path a GET without an integration: one problem per path, so the import refuses it. */
  public static String withoutIntegrations(int paths) {
    return document(paths, "{\"get\":{}}");
  }

  private static String document(int paths, String operation) {
    StringBuilder json =
        new StringBuilder(paths * (operation.length() + 40))
            .append("{\"openapi\":\"3.0.1\",\"info\":{\"title\":\"Large\",\"version\":\"1\"},")
            .append("\"paths\":{");
    for (int i = 0; i < paths; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("\"/svc")
          .append(i / 100)
          .append("/items/{id}/op")
          .append(i)
          .append("\":")
          .append(operation);
    }
    return json.append("}}").toString();
  }
}
