package dev.turnpike.portal.oidc;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A signed-in developer's tokens, kept only in the server-side session: the browser never sees
 * them.
 */
public record Tokens(String accessToken, String refreshToken, String idToken, Instant expiresAt) {
  /** True when the access token is expired or will be within the margin. */
  public boolean expiresWithin(java.time.Duration margin, Instant now) {
    return !expiresAt.isAfter(now.plus(margin));
  }

  static Tokens from(JsonObject response, Instant now, String previousRefresh, String previousId) {
    String access = response.getString("access_token");
    if (access == null) {
      throw new IllegalStateException("the token response has no access_token");
    }
    long lifetime = response.getLong("expires_in", 60L);
    return new Tokens(
        access,
        response.getString("refresh_token", previousRefresh),
        response.getString("id_token", previousId),
        now.plusSeconds(lifetime));
  }

  @Override
  public String toString() {
    return "Tokens[expiresAt=" + expiresAt + "]";
  }
}
