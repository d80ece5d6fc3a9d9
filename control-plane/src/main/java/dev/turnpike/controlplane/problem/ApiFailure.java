package dev.turnpike.controlplane.problem;

import java.util.List;

/**
 * A failure the client caused or may see, carrying what the problem+json answer needs. Use cases
 * throw it on their worker thread (which also rolls the transaction back); the web edge turns it
 * into the response. It has no stack trace: it is an answer, not a bug.
 */
public final class ApiFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProblemKind kind;
  private final transient List<FieldError> errors;

  public ApiFailure(ProblemKind kind, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.kind = kind;
    this.errors = List.copyOf(errors);
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

  public List<FieldError> errors() {
    return errors;
  }
}
