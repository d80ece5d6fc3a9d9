package dev.turnpike.gateway.authorizer.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * The claim checks of an HTTP API JWT authorizer, on a token whose signature has been verified:
 * {@code iss} exactly the configured issuer; {@code aud} naming one of the configured audiences or,
 * for a token without {@code aud}, {@code client_id} being one of them; {@code exp} present and not
 * past; {@code nbf} and {@code iat}, when present, not in the future. Times allow {@link
 * #SKEW_SECONDS} of clock skew between the issuer and this node.
 */
final class ClaimRules {
  static final long SKEW_SECONDS = 60;
  private static final long SKEW_MILLIS = SKEW_SECONDS * 1000;

  private final String issuer;
  private final List<String> audiences;
  private final Clock clock;

  ClaimRules(String issuer, List<String> audiences, Clock clock) {
    this.issuer = issuer;
    this.audiences = List.copyOf(audiences);
    this.clock = clock;
  }

  String issuer() {
    return issuer;
  }

  /** Null when the claims pass; otherwise why not, for the operator's debug log. */
  String problem(JWTClaimsSet claims) {
    try {
      if (!issuer.equals(claims.getIssuer())) {
        return "iss is not the authorizer's issuer";
      }
      String audience = audienceProblem(claims);
      if (audience != null) {
        return audience;
      }
      return timeProblem(claims, clock.millis());
    } catch (ParseException e) {
      // A registered claim of the wrong type (a string exp, a numeric iss).
      return "malformed claim: " + e.getMessage();
    }
  }

  private String audienceProblem(JWTClaimsSet claims) throws ParseException {
    List<String> aud = claims.getAudience();
    if (!aud.isEmpty()) {
      for (String one : aud) {
        if (audiences.contains(one)) {
          return null;
        }
      }
      return "aud names none of the authorizer's audiences";
    }
    String clientId = claims.getStringClaim("client_id");
    if (clientId == null) {
      return "neither aud nor client_id";
    }
    return audiences.contains(clientId) ? null : "client_id is none of the authorizer's audiences";
  }

  private static String timeProblem(JWTClaimsSet claims, long now) throws ParseException {
    Date exp = claims.getDateClaim("exp");
    if (exp == null) {
      return "no exp";
    }
    if (exp.getTime() + SKEW_MILLIS <= now) {
      return "expired";
    }
    Date nbf = claims.getDateClaim("nbf");
    if (nbf != null && nbf.getTime() - SKEW_MILLIS > now) {
      return "not valid yet (nbf)";
    }
    Date iat = claims.getDateClaim("iat");
    if (iat != null && iat.getTime() - SKEW_MILLIS > now) {
      return "issued in the future (iat)";
    }
    return null;
  }
}
