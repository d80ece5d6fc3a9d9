package dev.turnpike.controlplane.problem;

import java.net.URI;

/**
 * Every kind of error the management API answers with. The {@link #type()} URI is part of the API
 * contract: clients branch on it, so a kind's URI never changes once published.
 */
public enum ProblemKind {
  VALIDATION_FAILED(400, "validation-failed", "The request is not valid"),
  MALFORMED_JSON(400, "malformed-json", "The request body is not valid JSON"),
  UNAUTHENTICATED(401, "unauthenticated", "Authentication required"),
  FORBIDDEN(403, "forbidden", "Not allowed"),
  NOT_FOUND(404, "not-found", "Not found"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  CONFLICT(409, "conflict", "Conflict with the current state"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large"),
  LIMIT_EXCEEDED(400, "limit-exceeded", "A limit would be exceeded"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  /**
   * The request is valid, but what it would publish to the gateways exceeds the config record
   * limit. 422 rather than 413: the request itself is small; the API it would deploy is not.
   */
  DEPLOYMENT_TOO_LARGE(422, "deployment-too-large", "Too large to deliver to the gateways"),
  /**
   * The request is valid, but the API's aws_proxy integrations name functions the tenant has not
   * registered (or whose name a stage variable the stage does not set would give): each is named.
   */
  FUNCTIONS_NOT_REGISTERED(
      422, "functions-not-registered", "The routes name functions that are not registered"),
  INTERNAL(500, "internal", "Internal error"),
  UNAVAILABLE(503, "unavailable", "Service unavailable");

  /** Where the problem type URIs live; they name kinds, and need not resolve. */
  public static final String TYPE_BASE = "https://turnpike.dev/problems/";

  private final int status;
  private final String slug;
  private final String title;

  ProblemKind(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public URI type() {
    return URI.create(TYPE_BASE + slug);
  }
}
