package dev.turnpike.webkit.oidc;

import java.net.URI;

/**
 * The identity provider's realm under its two addresses: the issuer, as browsers reach it and as
 * every token names it, and the internal address this service reaches it at (in a container, the
 * issuer's host often does not resolve). Calls this service makes itself (discovery, token) go to
 * the internal address; addresses handed to a browser (authorization, end session) stay on the
 * issuer's.
 *
 * <p>A provider that knows both addresses (Keycloak with {@code --hostname} set to the public URL
 * and {@code --hostname-backchannel-dynamic=true}) already answers discovery on the internal
 * address with back-channel endpoints on it; one that does not names the public address for them.
 * Either way an endpoint under one base is moved under the other, so both kinds work; an endpoint
 * under neither (another host altogether) is used as given.
 *
 * <p>Used by {@link OidcClient}, which both the owner console and the developer portal sign in
 * with.
 *
 * @param issuer the realm's issuer URL, without a trailing slash
 * @param internal the same realm as this service reaches it, without a trailing slash; equal to the
 *     issuer when the service reaches the provider there too
 */
public record IssuerAddresses(String issuer, String internal) {
  public IssuerAddresses {
    issuer = stripSlash(issuer);
    internal = internal == null ? issuer : stripSlash(internal);
  }

  /** Where the discovery document is read: on the internal address. */
  public String discovery() {
    return internal + "/.well-known/openid-configuration";
  }

  /** An endpoint this service calls itself, moved to the internal address. */
  public String backChannel(String endpoint) {
    return rebase(endpoint, issuer, internal);
  }

  /** An endpoint a browser is sent to, moved to the issuer's address. */
  public String frontChannel(String endpoint) {
    return rebase(endpoint, internal, issuer);
  }

  /** The origin of the provider's pages, which the browser is sent to. */
  public String publicOrigin() {
    URI uri = URI.create(issuer);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private static String rebase(String endpoint, String from, String to) {
    if (endpoint == null || from.equals(to)) {
      return endpoint;
    }
    if (endpoint.equals(from) || endpoint.startsWith(from + "/")) {
      return to + endpoint.substring(from.length());
    }
    return endpoint;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
