package dev.turnpike.portal.web;

/**
 * A failure a page answers with a page of its own: its status, and a message written for the person
 * in front of the browser.
 */
public final class PortalFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the request cannot go on. */
  public enum Kind {
    NOT_SIGNED_IN(401),
    NOT_REGISTERED(403),
    FORBIDDEN(403),
    NOT_FOUND(404),
    EXPIRED_FORM(403);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Kind kind;

  public PortalFailure(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static PortalFailure notFound(String message) {
    return new PortalFailure(Kind.NOT_FOUND, message);
  }

  public static PortalFailure notSignedIn() {
    return new PortalFailure(Kind.NOT_SIGNED_IN, "Please sign in to continue.");
  }

  /** A POST without the session's CSRF token. */
  public static PortalFailure expiredForm() {
    return new PortalFailure(
        Kind.EXPIRED_FORM,
        "This form has expired or did not come from this portal. Go back, reload the page"
            + " and try again.");
  }
}
