package dev.turnpike.contracts.config;

import java.util.List;

/**
 * What a {@link AuthorizerType#JWT} authorizer accepts, as the HTTP API's {@code jwtConfiguration}.
 * The signing keys are found through the issuer's OpenID discovery document ({@code
 * {issuer}/.well-known/openid-configuration}, its {@code jwks_uri}).
 *
 * @param issuer the exact {@code iss} a token must carry; an http(s) URL
 * @param audience a token's {@code aud} (or, lacking one, its {@code client_id}) must be one of
 *     these; never empty
 */
public record JwtConfiguration(String issuer, List<String> audience) {
  public JwtConfiguration {
    audience = audience == null ? List.of() : List.copyOf(audience);
  }
}
