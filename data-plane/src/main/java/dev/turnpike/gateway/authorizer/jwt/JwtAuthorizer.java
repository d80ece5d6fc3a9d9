package dev.turnpike.gateway.authorizer.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.JwtConfiguration;
import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.gateway.authorizer.AuthorizationRequest;
import dev.turnpike.gateway.authorizer.Authorizer;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import io.vertx.core.Future;
import java.text.ParseException;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP API JWT authorizer: the token from its identity source, its signature checked with the
 * issuer's published keys ({@link JwksCache}), its claims with {@link ClaimRules}. Every refusal is
 * API Gateway's 401 {@code Unauthorized}, including a token whose keys cannot be fetched (API
 * Gateway answers 401 when the issuer's JWKS is unreachable, never 5xx, so a broken issuer does not
 * read as a gateway fault). The caller's identity is the token's {@code sub} and its claims, as
 * JSON values.
 *
 * <p>Signature checks run on the event loop: an RSA-2048 or P-256 verification takes tens of
 * microseconds, less than handing it to a worker would cost.
 */
public final class JwtAuthorizer implements Authorizer {
  /**
   * A token without {@code kid} is tried against at most this many of the issuer's keys, so a set
   * of many keys cannot make one request cost many signature checks.
   */
  static final int MAX_KEYS_TRIED = 2;

  private static final Logger LOG = LoggerFactory.getLogger(JwtAuthorizer.class);

  private final TokenSource source;
  private final ClaimRules rules;
  private final IssuerKeys keys;
  private final VerifiedTokens verified;

  private JwtAuthorizer(
      TokenSource source, ClaimRules rules, IssuerKeys keys, VerifiedTokens verified) {
    this.source = source;
    this.rules = rules;
    this.keys = keys;
    this.verified = verified;
  }

  /**
   * @throws IllegalArgumentException naming what an owner must fix in {@code config}
   */
  public static JwtAuthorizer of(
      IntegrationOwner owner, AuthorizerConfig config, JwksCache cache, Clock clock) {
    JwtConfiguration jwt = config.jwt();
    if (jwt == null || jwt.issuer() == null || jwt.issuer().isBlank()) {
      throw new IllegalArgumentException("a JWT authorizer needs an issuer");
    }
    if (jwt.audience().isEmpty()) {
      throw new IllegalArgumentException("a JWT authorizer needs at least one audience");
    }
    JwksFetcher.requestTo(JwksFetcher.discoveryUrl(jwt.issuer()));
    return new JwtAuthorizer(
        TokenSource.of(config.identitySources()),
        new ClaimRules(jwt.issuer(), jwt.audience(), clock),
        cache.keysOf(owner, jwt.issuer()),
        new VerifiedTokens(clock));
  }

  @Override
  public Future<Authorization> authorize(AuthorizationRequest request) {
    String token = source.token(request.request());
    if (token == null) {
      return refused(request, "no token in " + source.header());
    }
    VerifiedTokens.Verified known = verified.get(token);
    if (known != null) {
      // The signature was checked; the time claims are judged now, as for a token seen first.
      String problem = rules.problem(known.claims());
      return problem == null
          ? Future.succeededFuture(known.authorization())
          : refused(request, problem);
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      // A two-part "none" token does not parse as a signed one.
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return refused(request, "not a signed JWT");
    }
    JWSHeader header = jwt.getHeader();
    if (!SigningKey.accepted(header.getAlgorithm())) {
      return refused(request, "algorithm " + header.getAlgorithm() + " is not accepted");
    }
    // Before any key is looked up: a token for another issuer must not make this one refetch.
    if (!rules.issuer().equals(claims.getIssuer())) {
      return refused(request, "iss is not the authorizer's issuer");
    }
    return keys.candidates(header)
        .compose(candidates -> check(request, token, jwt, claims, candidates));
  }

  private Future<Authorization> check(
      AuthorizationRequest request,
      String token,
      SignedJWT jwt,
      JWTClaimsSet claims,
      List<SigningKey> candidates) {
    if (candidates.isEmpty()) {
      return refused(request, "no key of the issuer fits kid " + jwt.getHeader().getKeyID());
    }
    if (!verified(jwt, candidates)) {
      return refused(request, "bad signature");
    }
    String problem = rules.problem(claims);
    if (problem != null) {
      return refused(request, problem);
    }
    Map<String, Object> values = Collections.unmodifiableMap(claims.toJSONObject());
    Authorization authorization = new Authorization(claims.getSubject(), values, null, null);
    verified.remember(token, claims, authorization);
    return Future.succeededFuture(authorization);
  }

  private static boolean verified(SignedJWT jwt, List<SigningKey> candidates) {
    for (SigningKey key : candidates.subList(0, Math.min(candidates.size(), MAX_KEYS_TRIED))) {
      try {
        if (jwt.verify(key.verifier())) {
          return true;
        }
      } catch (JOSEException | IllegalStateException e) {
        // This key cannot check this token (another curve); the next may.
      }
    }
    return false;
  }

  private static Future<Authorization> refused(AuthorizationRequest request, String why) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("request {}: JWT refused: {}", request.requestId(), why);
    }
    return Future.failedFuture(new GatewayFailure(GatewayResponseType.UNAUTHORIZED));
  }
}
