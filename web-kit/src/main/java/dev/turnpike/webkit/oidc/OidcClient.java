package dev.turnpike.webkit.oidc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A confidential OpenID Connect relying party on Vert.x auth-oauth2: authorization code flow with
 * PKCE (S256), state and nonce; the code exchanged with the client secret; the ID token's signature
 * checked against the provider's JWKS (cached by the library, refetched when a token names a key
 * not seen yet), and its issuer, audience, expiry and nonce; refresh; and the provider's logout.
 * Nothing here blocks: every call answers a future on the caller's context.
 *
 * <p>The provider is discovered on first use and again after a failed attempt, so a site starts
 * while its provider is still coming up.
 */
public final class OidcClient implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> SCOPES = List.of("openid", "email", "profile");
  private static final String KEYCLOAK_AUTH = "/protocol/openid-connect/auth";
  private static final String KEYCLOAK_REGISTRATIONS = "/protocol/openid-connect/registrations";
  private static final long KEY_MAX_AGE_SECONDS = 3600;
  static final Duration MIN_KEY_REFETCH = Duration.ofSeconds(10);

  private record Provider(OAuth2Auth auth, ProviderMetadata endpoints) {}

  private final Vertx vertx;
  private final OidcClientSettings settings;
  private final IssuerAddresses addresses;
  private final HttpClient http;
  private final Map<String, Future<OidcTokens>> refreshing = new ConcurrentHashMap<>();
  private final Duration minKeyRefetch;
  private final IdTokenRules idTokenRules;
  private Future<Provider> provider;
  private volatile long lastKeyFetchNanos;

  private OidcClient(Vertx vertx, OidcClientSettings settings, Duration minKeyRefetch) {
    this.vertx = vertx;
    this.settings = settings;
    this.minKeyRefetch = minKeyRefetch;
    this.idTokenRules = new IdTokenRules(settings.issuer(), settings.clientId(), settings.leeway());
    this.lastKeyFetchNanos = System.nanoTime() - minKeyRefetch.toNanos();
    this.addresses = settings.addresses();
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000));
  }

  public static OidcClient create(Vertx vertx, OidcClientSettings settings) {
    return new OidcClient(vertx, settings, MIN_KEY_REFETCH);
  }

  /** With another floor between two reads of the keys, for tests that rotate them at once. */
  static OidcClient create(Vertx vertx, OidcClientSettings settings, Duration minKeyRefetch) {
    return new OidcClient(vertx, settings, minKeyRefetch);
  }

  /** Discovers the provider and loads its keys, unless done already. */
  public Future<Void> ready() {
    return provider().mapEmpty();
  }

  /** The origin of the provider's pages, which the site's forms may lead to (sign-out). */
  public String providerOrigin() {
    return addresses.publicOrigin();
  }

  /**
   * Starts a sign-in: fresh state, nonce and PKCE verifier, and the provider URL to send the
   * browser to. A sign-up goes to the provider's registration page with the same parameters.
   */
  public Future<LoginRequest> begin(String redirectUri, boolean signUp) {
    return provider()
        .map(
            p -> {
              String state = random(32);
              String nonce = random(32);
              String verifier = random(48);
              OAuth2AuthorizationURL request =
                  new OAuth2AuthorizationURL()
                      .setRedirectUri(redirectUri)
                      .setState(state)
                      .setScopes(SCOPES)
                      .setCodeChallenge(challenge(verifier))
                      .setCodeChallengeMethod("S256")
                      .putAdditionalParameter("nonce", nonce);
              String authorization = p.endpoints().authorization();
              boolean keycloak = authorization.endsWith(KEYCLOAK_AUTH);
              if (signUp && !keycloak) {
                request.setPrompt("create"); // OpenID Connect "Initiating User Registration"
              }
              String url = p.auth().authorizeURL(request);
              if (signUp && keycloak) {
                // Keycloak serves its registration form beside the authorization endpoint.
                url =
                    authorization.substring(0, authorization.length() - KEYCLOAK_AUTH.length())
                        + KEYCLOAK_REGISTRATIONS
                        + url.substring(authorization.length());
              }
              return new LoginRequest(url, state, nonce, verifier);
            });
  }

  /**
   * Exchanges the provider's code for tokens (with the PKCE verifier of the sign-in) and accepts
   * them only with an ID token that is signed by the provider, names it as issuer and this client
   * as audience, has not expired and carries the sign-in's nonce.
   */
  public Future<SignedIn> finish(String code, String redirectUri, String verifier, String nonce) {
    return provider()
        .compose(
            p ->
                p.auth()
                    .authenticate(
                        new Oauth2Credentials()
                            .setFlow(OAuth2FlowType.AUTH_CODE)
                            .setCode(code)
                            .setRedirectUri(redirectUri)
                            .setCodeVerifier(verifier))
                    .recover(
                        e ->
                            Future.failedFuture(
                                new OidcFailure(
                                    "The identity provider refused the sign-in ("
                                        + e.getMessage()
                                        + ")")))
                    .compose(
                        user ->
                            verifiedIdToken(p, user)
                                .compose(claims -> idTokenRules.check(claims, nonce))
                                .map(
                                    claims ->
                                        new SignedIn(tokens(user.principal(), null), claims))));
  }

  /**
   * Refreshes a session's tokens, which is also how a site learns whether the provider still
   * honours the session. Providers rotate refresh tokens: keep the new ones.
   *
   * @return fails with {@link SessionEnded} when the provider refuses the refresh token, with
   *     {@link OidcFailure} when it cannot be asked
   */
  public Future<OidcTokens> refresh(OidcTokens tokens) {
    if (tokens.refreshToken() == null) {
      return Future.failedFuture(new SessionEnded("The session has no refresh token"));
    }
    User holder = User.create(new JsonObject().put("refresh_token", tokens.refreshToken()));
    return provider()
        .compose(
            p ->
                p.auth()
                    .refresh(holder)
                    .recover(
                        e ->
                            Future.failedFuture(
                                String.valueOf(e.getMessage()).startsWith("invalid_grant")
                                    ? new SessionEnded("The identity provider ended the session")
                                    : new OidcFailure(
                                        "The identity provider could not refresh the session ("
                                            + e.getMessage()
                                            + ")"))))
        .map(user -> tokens(user.principal(), tokens));
  }

  /**
   * {@link #refresh}, shared by every request of one session that asks while it runs: a rotated
   * refresh token is honoured once, so two refreshes with it would end the session.
   */
  public Future<OidcTokens> refreshOnce(String sessionId, OidcTokens tokens) {
    Future<OidcTokens> attempt = refreshing.computeIfAbsent(sessionId, id -> refresh(tokens));
    attempt.onComplete(done -> refreshing.remove(sessionId, attempt));
    return attempt;
  }

  /**
   * Where to send the browser to end its session at the provider too; {@code after} itself when the
   * provider has no logout endpoint or cannot be discovered now.
   */
  public Future<String> logoutUrl(String idToken, String after) {
    JsonObject params =
        new JsonObject()
            .put("client_id", settings.clientId())
            .put("post_logout_redirect_uri", after);
    User holder = User.create(new JsonObject().put("id_token", idToken));
    return provider()
        .map(p -> p.auth().endSessionURL(holder, params))
        .otherwise((String) null)
        .map(url -> url == null ? after : url);
  }

  private synchronized Future<Provider> provider() {
    if (provider == null || provider.failed()) {
      provider = connect();
    }
    return provider;
  }

  private Future<Provider> connect() {
    return ProviderMetadata.discover(http, addresses)
        .compose(
            endpoints -> {
              if (endpoints.jwks() == null) {
                return Future.failedFuture(
                    new OidcFailure("The identity provider publishes no keys (jwks_uri)"));
              }
              OAuth2Options options =
                  new OAuth2Options()
                      .setClientId(settings.clientId())
                      .setClientSecret(settings.clientSecret())
                      // In the form (client_secret_post), which encodes any secret correctly; the
                      // library's Basic header would not form-encode it first (RFC 6749 2.3.1).
                      .setUseBasicAuthorization(false)
                      .setSite(addresses.issuer())
                      .setAuthorizationPath(endpoints.authorization())
                      .setTokenPath(endpoints.token())
                      .setLogoutPath(endpoints.endSession())
                      .setJwkPath(endpoints.jwks())
                      .setHttpClientOptions(
                          // A provider that accepts but never answers fails the call in seconds.
                          new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(10))
                      .setJWTOptions(
                          new JWTOptions()
                              .setIssuer(addresses.issuer())
                              .setLeeway((int) settings.leeway().toSeconds()));
              options.setJwkMaxAgeInSeconds(KEY_MAX_AGE_SECONDS);
              OAuth2Auth auth = OAuth2Auth.create(vertx, options);
              lastKeyFetchNanos = System.nanoTime();
              return auth.jWKSet()
                  .recover(
                      e -> {
                        auth.close();
                        return Future.failedFuture(
                            new OidcFailure(
                                "The identity provider's keys cannot be read ("
                                    + e.getMessage()
                                    + ")"));
                      })
                  .map(v -> new Provider(auth, endpoints));
            });
  }

  /**
   * The ID token's claims once the library verified its signature and issuer. A token signed with a
   * key not seen yet (the provider rotated its keys) gets one refetch of the keys, at most every
   * {@link #MIN_KEY_REFETCH}, so a forged key id cannot make every sign-in fetch them.
   */
  private Future<JsonObject> verifiedIdToken(Provider p, User user) {
    JsonObject claims = user.attributes().getJsonObject("idToken");
    if (claims != null) {
      return Future.succeededFuture(claims);
    }
    String idToken = user.principal().getString("id_token");
    if (idToken == null) {
      return Future.failedFuture(
          new OidcFailure("The identity provider answered without an ID token"));
    }
    if (!user.attributes().containsKey("missing-kid") || !mayRefetchKeys()) {
      return unverified();
    }
    lastKeyFetchNanos = System.nanoTime();
    // With no audience configured, the library holds a bearer token to this client's audience.
    return p.auth()
        .jWKSet()
        .compose(v -> p.auth().authenticate(new TokenCredentials(idToken)))
        .map(verified -> verified.attributes().getJsonObject("accessToken"))
        .recover(e -> Future.succeededFuture(null))
        .compose(verified -> verified == null ? unverified() : Future.succeededFuture(verified));
  }

  private static <T> Future<T> unverified() {
    return Future.failedFuture(
        new OidcFailure(
            "The ID token could not be verified (its signature, issuer or audience); sign-in"
                + " refused"));
  }

  private boolean mayRefetchKeys() {
    return System.nanoTime() - lastKeyFetchNanos >= minKeyRefetch.toNanos();
  }

  private static OidcTokens tokens(JsonObject principal, OidcTokens previous) {
    String access = principal.getString("access_token");
    if (access == null) {
      throw new OidcFailure("The identity provider answered without an access token");
    }
    Object lifetime = principal.getValue("expires_in");
    long seconds = lifetime instanceof Number n ? n.longValue() : 60;
    return new OidcTokens(
        principal.getString("id_token", previous == null ? null : previous.idToken()),
        access,
        principal.getString("refresh_token", previous == null ? null : previous.refreshToken()),
        Instant.now().plusSeconds(seconds));
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

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  @Override
  public void close() {
    Future<Provider> connected;
    synchronized (this) {
      connected = provider;
    }
    if (connected != null) {
      connected.onSuccess(p -> p.auth().close());
    }
    http.close();
  }
}
