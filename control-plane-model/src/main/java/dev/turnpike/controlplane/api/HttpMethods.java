package dev.turnpike.controlplane.api;

import java.util.Set;

/** The methods a route may declare; {@code ANY} catches every method not declared explicitly. */
public final class HttpMethods {
  public static final Set<String> ROUTE_METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");
  public static final String RULE =
      "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY";

  private HttpMethods() {}
}
