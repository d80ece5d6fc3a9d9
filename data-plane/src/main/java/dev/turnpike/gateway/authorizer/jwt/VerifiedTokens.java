package dev.turnpike.gateway.authorizer.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.turnpike.gateway.authorizer.Authorization;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens one JWT authorizer has already found signed by its issuer, so a caller presenting the
 * same token again costs a map lookup instead of a signature check (an RS256 check is most of a JWT
 * route's CPU). Keyed by the token's exact text: a token differing in any character, its signature
 * included, is checked anew.
 *
 * <p>Only the signature is remembered. The time claims are judged again on every call, so a cached
 * token still expires on time; and an entry is trusted for at most {@link #MAX_AGE_MILLIS}, so a
 * key the issuer withdraws stops vouching for its tokens within that long. Bounded: when full, the
 * table starts over (it only ever holds tokens a caller could present anyway, and refilling costs
 * one check per token).
 */
final class VerifiedTokens {
  static final long MAX_AGE_MILLIS = 5 * 60 * 1000;
  static final int MAX_ENTRIES = 2_048;

  /** A token whose signature was verified at {@code verifiedAtMillis}. */
  record Verified(JWTClaimsSet claims, Authorization authorization, long verifiedAtMillis) {}

  private final ConcurrentHashMap<String, Verified> tokens = new ConcurrentHashMap<>();
  private final Clock clock;
  private final int maxEntries;

  VerifiedTokens(Clock clock) {
    this(clock, MAX_ENTRIES);
  }

  VerifiedTokens(Clock clock, int maxEntries) {
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  /** The token's verification, if it is remembered and young enough; null otherwise. */
  Verified get(String token) {
    Verified verified = tokens.get(token);
    if (verified == null) {
      return null;
    }
    if (clock.millis() - verified.verifiedAtMillis() >= MAX_AGE_MILLIS) {
      tokens.remove(token, verified);
      return null;
    }
    return verified;
  }

  void remember(String token, JWTClaimsSet claims, Authorization authorization) {
    if (tokens.size() >= maxEntries) {
      tokens.clear();
    }
    tokens.put(token, new Verified(claims, authorization, clock.millis()));
  }

  int size() {
    return tokens.size();
  }
}
