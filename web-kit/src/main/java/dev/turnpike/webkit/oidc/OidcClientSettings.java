package dev.turnpike.webkit.oidc;

import java.time.Duration;

/**
 * A confidential OpenID Connect client at one provider.
 *
 * @param issuer the realm's issuer URL, as browsers reach it and as its tokens name it
 * @param internalUrl the same realm as this service reaches it (inside a container network); null
 *     when that is the issuer's address
 * @param clientId this site's client at the provider
 * @param clientSecret its secret
 * @param leeway how much clock skew an ID token's expiry is allowed
 */
public record OidcClientSettings(
    String issuer, String internalUrl, String clientId, String clientSecret, Duration leeway) {

  public IssuerAddresses addresses() {
    return new IssuerAddresses(issuer, internalUrl);
  }

  @Override
  public String toString() {
    // The secret stays out of logs.
    return "OidcClientSettings[issuer=" + issuer + ", clientId=" + clientId + "]";
  }
}
