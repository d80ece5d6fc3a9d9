package dev.turnpike.portal.oidc;

/**
 * One sign-in attempt: where to send the browser, and what the callback must match. {@code state}
 * ties the callback to this browser session, {@code nonce} ties the ID token to this attempt, and
 * the PKCE {@code verifier} ties the authorization code to it.
 */
public record AuthorizationRequest(String url, String state, String nonce, String verifier) {
  @Override
  public String toString() {
    return "AuthorizationRequest[url=" + url + "]";
  }
}
