package dev.turnpike.metering.problem;

/**
 * A billing request that cannot be served, with the HTTP status and the RFC 9457 problem it becomes
 * at the edge. The detail is safe to show to the caller.
 */
public final class BillingProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String title;

  public BillingProblem(int status, String type, String title, String detail) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
  }

  public int status() {
    return status;
  }

  /** A stable URI naming the kind of problem. */
  public String type() {
    return "https://turnpike.dev/problems/" + type;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }
}
