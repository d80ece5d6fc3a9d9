package dev.turnpike.webkit.oidc;

/**
 * One sign-in attempt: where to send the browser, and what the provider's answer must match. {@code
 * state} ties the answer to this browser session, {@code nonce} ties the ID token to this attempt,
 * and the PKCE {@code verifier} ties the authorization code to it (a stolen code is useless without
 * it).
 */
public record LoginRequest(String url, String state, String nonce, String verifier) {
  @Override
  public String toString() {
    return "LoginRequest[url=" + url + "]";
  }
}
