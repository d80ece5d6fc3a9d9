package dev.turnpike.controlplane.openapi;

import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What reading a document found: errors, which stop the import, and warnings, for parts that are
 * accepted but have no effect in Turnpike. Every problem is collected, so an owner fixes a document
 * in one round trip; the answer lists the first {@link ApiFailure#LISTED_ERRORS} with the total. A
 * part past an owner limit is not collected: it stops the reading at once (see {@link #limits}).
 */
final class Findings {
  private final OwnerLimits limits;
  private final Function<String, String> targetProblem;
  // Sets: the same problem twice (a shared component read by two operations) counts once, and a
  // document with a problem on every one of its many paths is checked in linear time.
  private final Set<FieldError> errors = new LinkedHashSet<>();
  private final Set<FieldError> warnings = new LinkedHashSet<>();

  /** Findings of a document read without an importing tenant: default limits, no egress check. */
  Findings() {
    this(OwnerLimits.defaults(), uri -> null);
  }

  /**
   * @param limits the limits parts of the document are held to while it is read
   * @param targetProblem why the importing tenant may not use an integration URI (the egress
   *     policy), or null
   */
  Findings(OwnerLimits limits, Function<String, String> targetProblem) {
    this.limits = limits;
    this.targetProblem = targetProblem;
  }

  /** The limits parts of the document are held to while it is read. */
  OwnerLimits limits() {
    return limits;
  }

  /** Why the egress policy refuses {@code uri} for the importing tenant, or null. */
  String targetProblem(String uri) {
    return targetProblem.apply(uri);
  }

  void error(Pointer at, String message) {
    errors.add(new FieldError(at.text(), message));
  }

  void warn(Pointer at, String message) {
    warnings.add(new FieldError(at.text(), message));
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
   * @throws ApiFailure 400 listing the errors, if there is any
   */
  void throwIfErrors() {
    if (!errors.isEmpty()) {
      throw new ApiFailure(
          ProblemKind.VALIDATION_FAILED,
          "The OpenAPI document has "
              + errors.size()
              + (errors.size() == 1 ? " problem" : " problems")
              + "; nothing was changed"
              + (errors.size() > ApiFailure.LISTED_ERRORS
                  ? " (the first " + ApiFailure.LISTED_ERRORS + " are listed)"
                  : ""),
          List.copyOf(errors));
    }
  }
}
