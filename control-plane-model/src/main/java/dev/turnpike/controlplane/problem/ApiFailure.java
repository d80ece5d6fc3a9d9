package dev.turnpike.controlplane.problem;

import java.util.List;

/**
 * A failure the client caused or may see, carrying what the problem+json answer needs. Use cases
 * throw it on their worker thread (which also rolls the transaction back); the web edge turns it
 * into the response. It has no stack trace: it is an answer, not a bug.
 */
public final class ApiFailure extends RuntimeException {
  /**
   * How many field errors an answer lists; the rest are counted. A document with a problem on each
   * of 20,000 paths gets an answer of a few kilobytes, not megabytes.
   */
  public static final int LISTED_ERRORS = 100;

  private static final long serialVersionUID = 1L;

  private final ProblemKind kind;
  private final transient List<FieldError> errors;
  private final int totalErrors;
  private final transient LimitBreach limit;

  /**
   * @param errors every error found; the first {@link #LISTED_ERRORS} are kept
   */
  public ApiFailure(ProblemKind kind, String detail, List<FieldError> errors) {
    this(kind, detail, errors, null);
  }

  /**
   * @param limit the owner limit the request would pass, or null
   */
  public ApiFailure(ProblemKind kind, String detail, List<FieldError> errors, LimitBreach limit) {
    super(detail, null, false, false);
    this.kind = kind;
    this.errors = List.copyOf(errors.subList(0, Math.min(errors.size(), LISTED_ERRORS)));
    this.totalErrors = errors.size();
    this.limit = limit;
  }

  public ApiFailure(ProblemKind kind, String detail) {
    this(kind, detail, List.of());
  }

  public static ApiFailure notFound(String what) {
    return new ApiFailure(ProblemKind.NOT_FOUND, what + " not found");
  }

  public static ApiFailure conflict(String detail) {
    return new ApiFailure(ProblemKind.CONFLICT, detail);
  }

  public static ApiFailure forbidden(String detail) {
    return new ApiFailure(ProblemKind.FORBIDDEN, detail);
  }

  public static ApiFailure invalid(String pointer, String message) {
    return new ApiFailure(
        ProblemKind.VALIDATION_FAILED,
        "The request has 1 invalid field",
        List.of(new FieldError(pointer, message)));
  }

  public ProblemKind kind() {
    return kind;
  }

  public String detail() {
    return getMessage();
  }

  /** The first {@link #LISTED_ERRORS} errors. */
  public List<FieldError> errors() {
    return errors;
  }

  /** The owner limit the request would pass, or null when the failure is not about one. */
  public LimitBreach limit() {
    return limit;
  }

  /** How many errors there are, listed or not. */
  public int totalErrors() {
    return totalErrors;
  }
}
