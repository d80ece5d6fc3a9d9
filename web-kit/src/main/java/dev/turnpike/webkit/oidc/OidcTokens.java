package dev.turnpike.webkit.oidc;

import java.time.Duration;
import java.time.Instant;

/**
 * A signed-in person's tokens, kept only in the server-side session: the browser never sees them.
 *
 * @param refreshToken null when the provider gave none
 * @param expiresAt when the access token expires
 */
public record OidcTokens(
    String idToken, String accessToken, String refreshToken, Instant expiresAt) {

  /** True when the access token is expired or will be within the margin. */
  public boolean expiresWithin(Duration margin, Instant now) {
    return !expiresAt.isAfter(now.plus(margin));
  }

  @Override
  public String toString() {
    return "OidcTokens[expiresAt=" + expiresAt + "]";
  }
}
