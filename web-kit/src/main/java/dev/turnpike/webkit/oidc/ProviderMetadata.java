package dev.turnpike.webkit.oidc;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * The provider's endpoints from its discovery document, each on the address its caller reaches it
 * at: the browser's (authorization, end session) on the issuer's, this service's own (token, JWKS)
 * on the internal one.
 *
 * <p>Read here rather than by auth-oauth2's {@code OpenIDConnectAuth.discover}, which reads the
 * document, fetches the keys and checks the issuer all on one address: behind a container network
 * the issuer's address may not resolve from inside, and the internal one is not the issuer.
 *
 * @param endSession null when the provider has no logout endpoint
 * @param jwks null when the provider publishes no keys (then no ID token can be verified)
 */
record ProviderMetadata(String authorization, String token, String endSession, String jwks) {

  static Future<ProviderMetadata> discover(HttpClient http, IssuerAddresses addresses) {
    return http.request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(addresses.discovery())
                .setIdleTimeout(10_000)
                .putHeader("Accept", "application/json"))
        .compose(request -> request.send())
        .compose(
            response ->
                response
                    .body()
                    .compose(
                        body ->
                            response.statusCode() == 200
                                ? Future.succeededFuture(body)
                                : Future.failedFuture(
                                    new OidcFailure(
                                        "The identity provider's discovery document at "
                                            + addresses.discovery()
                                            + " answered HTTP "
                                            + response.statusCode()))))
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof OidcFailure
                        ? e
                        : new OidcFailure(
                            "The identity provider cannot be reached at "
                                + addresses.discovery()
                                + " ("
                                + e.getMessage()
                                + ")")))
        .compose(
            body -> {
              try {
                return Future.succeededFuture(of(new JsonObject(body), addresses));
              } catch (OidcFailure e) {
                return Future.failedFuture(e);
              } catch (RuntimeException e) {
                return Future.failedFuture(
                    new OidcFailure("The identity provider's discovery document is not JSON"));
              }
            });
  }

  static ProviderMetadata of(JsonObject document, IssuerAddresses addresses) {
    String named = document.getString("issuer");
    if (!addresses.issuer().equals(named)) {
      // Read on the internal address, a provider that does not know its public one names that.
      throw new OidcFailure(
          "The identity provider names issuer "
              + named
              + ", not "
              + addresses.issuer()
              + " (set its public URL, e.g. Keycloak's --hostname)");
    }
    String authorization = document.getString("authorization_endpoint");
    String token = document.getString("token_endpoint");
    if (authorization == null || token == null) {
      throw new OidcFailure("The identity provider's discovery document lacks its endpoints");
    }
    return new ProviderMetadata(
        addresses.frontChannel(authorization),
        addresses.backChannel(token),
        addresses.frontChannel(document.getString("end_session_endpoint")),
        addresses.backChannel(document.getString("jwks_uri")));
  }
}
