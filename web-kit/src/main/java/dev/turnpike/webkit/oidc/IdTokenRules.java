package dev.turnpike.webkit.oidc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;

/**
 * What OpenID Connect Core 3.1.3.7 asks of an ID token beyond its signature, where auth-oauth2
 * checks only what is present (an audience, an authorised party) or not at all (the expiry of an ID
 * token, the nonce): the issuer, this client as audience and authorised party, an expiry not
 * passed, this sign-in's nonce, and a subject.
 */
final class IdTokenRules {
  private final String issuer;
  private final String clientId;
  private final Duration leeway;

  IdTokenRules(String issuer, String clientId, Duration leeway) {
    this.issuer = new IssuerAddresses(issuer, null).issuer();
    this.clientId = clientId;
    this.leeway = leeway;
  }

  /** The claims when they pass, else an {@link OidcFailure} saying which rule they broke. */
  Future<JsonObject> check(JsonObject claims, String nonce) {
    String refusal = null;
    if (!issuer.equals(claims.getString("iss"))) {
      refusal = "The ID token comes from another issuer";
    } else if (!audienceIsThisClient(claims.getValue("aud"))) {
      refusal = "The ID token is not for this client";
    } else if (claims.containsKey("azp") && !clientId.equals(claims.getValue("azp"))) {
      refusal = "The ID token was issued to another client";
    } else if (!(claims.getValue("exp") instanceof Number exp)
        || Instant.ofEpochSecond(exp.longValue()).plus(leeway).isBefore(Instant.now())) {
      refusal = "The ID token has expired";
    } else if (nonce == null || !same(nonce, claims.getValue("nonce"))) {
      refusal = "The ID token does not carry this sign-in's nonce";
    } else if (!(claims.getValue("sub") instanceof String sub) || sub.isBlank()) {
      refusal = "The ID token names nobody";
    }
    return refusal == null
        ? Future.succeededFuture(claims)
        : Future.failedFuture(new OidcFailure(refusal));
  }

  private boolean audienceIsThisClient(Object aud) {
    return clientId.equals(aud) || (aud instanceof JsonArray list && list.contains(clientId));
  }

  private static boolean same(String expected, Object sent) {
    return sent instanceof String text
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8));
  }
}
