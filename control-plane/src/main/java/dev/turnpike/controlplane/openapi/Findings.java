package dev.turnpike.controlplane.openapi;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What reading a document found: errors, which stop the import, and warnings, for parts that are
 * accepted but have no effect in Turnpike. Every problem is collected, so an owner fixes a document
 * in one round trip.
 */
final class Findings {
  private final List<FieldError> errors = new ArrayList<>();
  private final List<FieldError> warnings = new ArrayList<>();
  private final Function<String, String> targetProblem;

  /** Findings of a document read without an importing tenant: no egress check. */
  Findings() {
    this(uri -> null);
  }

  /**
   * @param targetProblem why the importing tenant may not use an integration URI (the egress
   *     policy), or null
   */
  Findings(Function<String, String> targetProblem) {
    this.targetProblem = targetProblem;
  }

  /** Why the egress policy refuses {@code uri} for the importing tenant, or null. */
  String targetProblem(String uri) {
    return targetProblem.apply(uri);
  }

  /** Records an error; the same error twice (a shared component read by two operations) once. */
  void error(Pointer at, String message) {
    FieldError error = new FieldError(at.text(), message);
    if (!errors.contains(error)) {
      errors.add(error);
    }
  }

  void warn(Pointer at, String message) {
    FieldError warning = new FieldError(at.text(), message);
    if (!warnings.contains(warning)) {
      warnings.add(warning);
    }
  }

  int errorCount() {
    return errors.size();
  }

  List<FieldError> errors() {
    return List.copyOf(errors);
  }

  List<FieldError> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * @throws ApiFailure 400 listing every error, if there is any
   */
  void throwIfErrors() {
    if (!errors.isEmpty()) {
      throw new ApiFailure(
          ProblemKind.VALIDATION_FAILED,
          "The OpenAPI document has "
              + errors.size()
              + (errors.size() == 1 ? " problem" : " problems")
              + "; nothing was changed",
          errors);
    }
  }
}
