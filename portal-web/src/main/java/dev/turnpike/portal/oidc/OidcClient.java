package dev.turnpike.portal.oidc;

import dev.turnpike.oidc.IssuerAddresses;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The portal as a confidential OIDC client: authorization code flow with PKCE (S256), state and
 * nonce, the client secret sent to the token endpoint, and refresh. Endpoints come from the
 * issuer's discovery document, read on the provider's internal address: the portal's own calls go
 * there, the browser is sent to the issuer's address ({@link IssuerAddresses}).
 *
 * <p>The ID token arrives straight from the token endpoint over the back channel, so, as OIDC Core
 * 3.1.3.7 allows, its signature is not checked again here; its issuer, audience, expiry and nonce
 * are. The access token is the control plane's to validate: it checks it against the JWKS on every
 * call.
 */
public final class OidcClient {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The issuer refused or could not be reached; the message is safe to log. */
  public static final class OidcFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OidcFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** The provider's endpoints, each on the address its caller reaches it at. */
  record Endpoints(String authorization, String token, String endSession) {}

  private final WebClient http;
  private final String issuer;
  private final String clientId;
  private final String clientSecret;
  private final Endpoints endpoints;
  private final Clock clock;

  private OidcClient(
      WebClient http,
      String issuer,
      String clientId,
      String clientSecret,
      Endpoints endpoints,
      Clock clock) {
    this.http = http;
    this.issuer = issuer;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /**
   * Reads the provider's discovery document on its internal address.
   *
   * @param addresses the issuer, and where the portal reaches the provider
   */
  public static Future<OidcClient> discover(
      WebClient http, IssuerAddresses addresses, String clientId, String clientSecret) {
    String issuer = addresses.issuer();
    return http.getAbs(addresses.discovery())
        .send()
        .compose(
            response -> {
              if (response.statusCode() != 200) {
                return Future.failedFuture(
                    new OidcFailure(
                        "OIDC discovery at "
                            + addresses.discovery()
                            + " answered HTTP "
                            + response.statusCode()));
              }
              JsonObject document = response.bodyAsJsonObject();
              if (!issuer.equals(document.getString("issuer"))) {
                // Read on the internal address, a provider that does not know its public one
                // names that.
                return Future.failedFuture(
                    new OidcFailure(
                        "OIDC discovery names issuer "
                            + document.getString("issuer")
                            + ", expected "
                            + issuer
                            + " (set the provider's public URL, e.g. Keycloak's --hostname)"));
              }
              String authorization = document.getString("authorization_endpoint");
              String token = document.getString("token_endpoint");
              if (authorization == null || token == null) {
                return Future.failedFuture(
                    new OidcFailure("OIDC discovery at " + issuer + " lacks its endpoints"));
              }
              Endpoints endpoints =
                  new Endpoints(
                      addresses.frontChannel(authorization),
                      addresses.backChannel(token),
                      addresses.frontChannel(document.getString("end_session_endpoint")));
              return Future.succeededFuture(
                  new OidcClient(
                      http, issuer, clientId, clientSecret, endpoints, Clock.systemUTC()));
            });
  }

  Endpoints endpoints() {
    return endpoints;
  }

  /**
   * @param signUp true to open the identity provider's registration page instead of its sign-in
   */
  public AuthorizationRequest begin(String redirectUri, boolean signUp) {
    String state = random(24);
    String nonce = random(24);
    String verifier = random(48);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", clientId);
    query.put("redirect_uri", redirectUri);
    query.put("scope", "openid profile email");
    query.put("state", state);
    query.put("nonce", nonce);
    query.put("code_challenge", challenge(verifier));
    query.put("code_challenge_method", "S256");
    String endpoint = endpoints.authorization();
    if (signUp) {
      // Keycloak serves its registration form at the same parameters under /registrations.
      endpoint = endpoint.replaceFirst("/auth$", "/registrations");
    }
    return new AuthorizationRequest(endpoint + "?" + form(query), state, nonce, verifier);
  }

  public Future<Tokens> exchange(String code, String redirectUri, String verifier, String nonce) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    form.add("grant_type", "authorization_code");
    form.add("code", code);
    form.add("redirect_uri", redirectUri);
    form.add("code_verifier", verifier);
    return tokenCall(form, null, null)
        .compose(
            tokens -> {
              try {
                checkIdToken(tokens.idToken(), nonce);
                return Future.succeededFuture(tokens);
              } catch (OidcFailure e) {
                return Future.failedFuture(e);
              }
            });
  }

  public Future<Tokens> refresh(Tokens tokens) {
    if (tokens.refreshToken() == null) {
      return Future.failedFuture(new OidcFailure("no refresh token"));
    }
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    form.add("grant_type", "refresh_token");
    form.add("refresh_token", tokens.refreshToken());
    return tokenCall(form, tokens.refreshToken(), tokens.idToken());
  }

  /** Where to send the browser to end the identity provider's session too; null if unsupported. */
  public String logoutUrl(Tokens tokens, String postLogoutRedirect) {
    String endpoint = endpoints.endSession();
    if (endpoint == null) {
      return null;
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("client_id", clientId);
    query.put("post_logout_redirect_uri", postLogoutRedirect);
    if (tokens != null && tokens.idToken() != null) {
      query.put("id_token_hint", tokens.idToken());
    }
    return endpoint + "?" + form(query);
  }

  /** The ID token's claims, which name the person. */
  public static JsonObject claims(String jwt) {
    String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
    if (parts.length < 2) {
      throw new OidcFailure("the ID token is not a JWT");
    }
    try {
      return new JsonObject(
          new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new OidcFailure("the ID token cannot be read");
    }
  }

  private void checkIdToken(String idToken, String nonce) {
    JsonObject claims = claims(idToken);
    if (!issuer.equals(claims.getString("iss"))) {
      throw new OidcFailure("the ID token comes from another issuer");
    }
    Object aud = claims.getValue("aud");
    boolean forUs =
        clientId.equals(aud)
            || (aud instanceof io.vertx.core.json.JsonArray list && list.contains(clientId));
    if (!forUs) {
      throw new OidcFailure("the ID token is not for this client");
    }
    if (nonce == null || !MessageDigest.isEqual(bytes(nonce), bytes(claims.getString("nonce")))) {
      throw new OidcFailure("the ID token's nonce does not match this sign-in");
    }
    Long exp = claims.getLong("exp");
    if (exp == null || Instant.ofEpochSecond(exp).isBefore(clock.instant())) {
      throw new OidcFailure("the ID token has expired");
    }
  }

  private Future<Tokens> tokenCall(MultiMap form, String previousRefresh, String previousId) {
    return http.postAbs(endpoints.token())
        .basicAuthentication(
            URLEncoder.encode(clientId, StandardCharsets.UTF_8),
            URLEncoder.encode(clientSecret, StandardCharsets.UTF_8))
        .putHeader("Accept", "application/json")
        .sendForm(form)
        .compose(
            (HttpResponse<io.vertx.core.buffer.Buffer> response) -> {
              if (response.statusCode() != 200) {
                JsonObject error = safeJson(response);
                return Future.failedFuture(
                    new OidcFailure(
                        "the token endpoint answered HTTP "
                            + response.statusCode()
                            + " "
                            + error.getString("error", "")));
              }
              return Future.succeededFuture(
                  Tokens.from(
                      response.bodyAsJsonObject(), clock.instant(), previousRefresh, previousId));
            });
  }

  private static JsonObject safeJson(HttpResponse<io.vertx.core.buffer.Buffer> response) {
    try {
      JsonObject json = response.bodyAsJsonObject();
      return json == null ? new JsonObject() : json;
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  private static byte[] bytes(String value) {
    return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
  }

  private static String form(Map<String, String> query) {
    return query.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
