package dev.turnpike.portal.api;

import io.vertx.core.json.JsonArray;

/**
 * The control plane answered with a problem (or could not be reached, status 502). The detail is
 * the control plane's client-safe message; field errors are kept so forms can show them.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String requestId;
  private final transient JsonArray fieldErrors;

  public ApiError(int status, String detail, String requestId, JsonArray fieldErrors) {
    super(detail, null, false, false);
    this.status = status;
    this.requestId = requestId;
    this.fieldErrors = fieldErrors == null ? new JsonArray() : fieldErrors;
  }

  public int status() {
    return status;
  }

  public String requestId() {
    return requestId;
  }

  public JsonArray fieldErrors() {
    return fieldErrors;
  }
}
