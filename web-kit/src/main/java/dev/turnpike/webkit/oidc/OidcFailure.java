package dev.turnpike.webkit.oidc;

/** The identity provider refused, could not be reached, or answered something unusable. */
public class OidcFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message safe to show the person signing in: it names no secret and no token
   */
  public OidcFailure(String message) {
    super(message, null, false, false);
  }
}
