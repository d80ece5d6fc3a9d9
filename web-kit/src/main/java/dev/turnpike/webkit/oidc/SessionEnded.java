package dev.turnpike.webkit.oidc;

/**
 * The provider no longer honours a session's refresh token: the session was ended there, timed out,
 * or its user was disabled. The site's session should end too.
 */
public final class SessionEnded extends OidcFailure {
  private static final long serialVersionUID = 1L;

  public SessionEnded(String message) {
    super(message);
  }
}
