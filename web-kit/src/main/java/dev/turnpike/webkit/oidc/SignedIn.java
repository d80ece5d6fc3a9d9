package dev.turnpike.webkit.oidc;

import io.vertx.core.json.JsonObject;

/**
 * A completed sign-in: the tokens, and the claims of the ID token, whose signature, issuer,
 * audience, expiry and nonce were checked.
 */
public record SignedIn(OidcTokens tokens, JsonObject idClaims) {
  public String subject() {
    return idClaims.getString("sub");
  }

  /** The person's name as the provider knows it, or {@code fallback}. */
  public String name(String fallback) {
    return idClaims.getString("name", idClaims.getString("preferred_username", fallback));
  }

  public String email() {
    return idClaims.getString("email");
  }
}
