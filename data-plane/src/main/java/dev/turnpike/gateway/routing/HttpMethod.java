package dev.turnpike.gateway.routing;

/**
 * The methods an API Gateway resource can declare. {@link #ANY} catches every request method the
 * resource does not declare explicitly (AWS's {@code x-amazon-apigateway-any-method}).
 */
public enum HttpMethod {
  GET,
  POST,
  PUT,
  DELETE,
  PATCH,
  HEAD,
  OPTIONS,
  ANY;

  /**
   * Parses a method as written in configuration. Case is ignored because OpenAPI documents use
   * lower-case operation keys while the AWS API uses upper case.
   *
   * @throws IllegalArgumentException if the name is not one of the methods API Gateway supports
   */
  public static HttpMethod parseDeclared(String name) {
    if (name != null) {
      for (HttpMethod method : values()) {
        if (method.name().equalsIgnoreCase(name)) {
          return method;
        }
      }
    }
    throw new IllegalArgumentException(
        "Unsupported HTTP method '"
            + name
            + "': expected one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY");
  }

  /**
   * Maps the method of an incoming request, or returns null for a method that no resource can
   * declare (so only {@link #ANY} can serve it). Request methods are case-sensitive (RFC 9110), and
   * a client sending the literal method "ANY" must not be treated as a wildcard.
   */
  static HttpMethod ofRequest(String method) {
    return switch (method) {
      case "GET" -> GET;
      case "POST" -> POST;
      case "PUT" -> PUT;
      case "DELETE" -> DELETE;
      case "PATCH" -> PATCH;
      case "HEAD" -> HEAD;
      case "OPTIONS" -> OPTIONS;
      default -> null;
    };
  }
}
