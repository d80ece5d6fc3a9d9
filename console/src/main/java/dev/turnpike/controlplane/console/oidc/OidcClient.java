package dev.turnpike.controlplane.console.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.controlplane.console.ConsoleSettings;
import dev.turnpike.oidc.IssuerAddresses;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The console's side of the OpenID Connect authorization code flow with PKCE: reads the provider's
 * discovery document, builds the login and sign-up redirects, exchanges a code for tokens with the
 * client secret, and builds the provider's logout redirect. Its own calls go to the provider's
 * internal address, the browser is sent to the issuer's ({@link IssuerAddresses}). Blocking: call
 * it off the event loop.
 */
public final class OidcClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String KEYCLOAK_AUTH_SUFFIX = "/protocol/openid-connect/auth";

  /** The provider's endpoints, from its discovery document. */
  record ProviderEndpoints(String authorization, String token, String endSession) {}

  /** A login that was started: where to send the browser and what to check on its return. */
  public record LoginRequest(String redirect, String state, String nonce, String codeVerifier) {}

  /** What the token endpoint answered; the refresh token is null when the provider gave none. */
  public record Tokens(String idToken, String accessToken, String refreshToken) {}

  /** The provider no longer honours the session (ended, expired, or its user disabled). */
  public static final class SessionEnded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionEnded(String message) {
      super(message, null, false, false);
    }
  }

  /** The provider refused or could not be reached; the message is safe to show. */
  public static final class OidcFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OidcFailure(String message) {
      super(message, null, false, false);
    }
  }

  private final ConsoleSettings settings;
  private final IssuerAddresses addresses;
  private final HttpClient http;
  private volatile ProviderEndpoints endpoints;

  public OidcClient(ConsoleSettings settings, String issuer) {
    this.settings = settings;
    this.addresses = new IssuerAddresses(issuer, settings.oidcInternalUrl());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Starts a login: fresh state, nonce and PKCE verifier, and the provider URL to send the browser
   * to. A sign-up goes to the provider's registration page with the same parameters.
   */
  public LoginRequest begin(boolean signUp) {
    ProviderEndpoints provider = endpoints();
    String state = random();
    String nonce = random();
    String verifier = random();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", settings.clientId());
    query.put("redirect_uri", settings.redirectUri());
    query.put("scope", "openid email profile");
    query.put("state", state);
    query.put("nonce", nonce);
    query.put("code_challenge", challenge(verifier));
    query.put("code_challenge_method", "S256");
    String base = provider.authorization();
    if (signUp) {
      if (base.endsWith(KEYCLOAK_AUTH_SUFFIX)) {
        // Keycloak serves its registration form beside the authorization endpoint.
        base =
            base.substring(0, base.length() - KEYCLOAK_AUTH_SUFFIX.length())
                + "/protocol/openid-connect/registrations";
      } else {
        query.put("prompt", "create"); // OpenID Connect "Initiating User Registration"
      }
    }
    return new LoginRequest(base + "?" + form(query), state, nonce, verifier);
  }

  /** Exchanges an authorization code for tokens, authenticating with the client secret. */
  public Tokens exchange(String code, String codeVerifier) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "authorization_code");
    body.put("code", code);
    body.put("redirect_uri", settings.redirectUri());
    body.put("code_verifier", codeVerifier);
    return tokens(body, false);
  }

  /**
   * Refreshes a session's tokens, which is how the console learns whether the provider still
   * honours the session. The provider rotates refresh tokens: keep the new one.
   *
   * @throws SessionEnded when the provider refuses the refresh token
   */
  public Tokens refresh(String refreshToken) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "refresh_token");
    body.put("refresh_token", refreshToken);
    return tokens(body, true);
  }

  private Tokens tokens(Map<String, String> body, boolean refreshing) {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (encode(settings.clientId()) + ":" + encode(settings.clientSecret()))
                    .getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoints().token()))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .header("Authorization", "Basic " + basic)
            .POST(HttpRequest.BodyPublishers.ofString(form(body)))
            .build();
    HttpResponse<String> response = send(request);
    JsonNode answer = parse(response.body());
    String error = answer.path("error").asText("HTTP " + response.statusCode());
    if (refreshing && response.statusCode() == 400 && error.equals("invalid_grant")) {
      throw new SessionEnded("The identity provider ended the session");
    }
    if (response.statusCode() != 200) {
      throw new OidcFailure("The identity provider refused the sign-in (" + error + ")");
    }
    String idToken = answer.path("id_token").asText(null);
    String accessToken = answer.path("access_token").asText(null);
    if (idToken == null || accessToken == null) {
      throw new OidcFailure("The identity provider answered without an ID or access token");
    }
    return new Tokens(idToken, accessToken, answer.path("refresh_token").asText(null));
  }

  /** Where to send the browser to end its session at the provider too. */
  public String logoutRedirect(String idToken) {
    ProviderEndpoints provider = endpoints();
    String after = settings.publicUrl() + "/console/";
    if (provider.endSession() == null) {
      return after;
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("client_id", settings.clientId());
    query.put("post_logout_redirect_uri", after);
    if (idToken != null) {
      query.put("id_token_hint", idToken);
    }
    return provider.endSession() + "?" + form(query);
  }

  /** The origin of the provider's pages, which forms of the console may lead to. */
  public String providerOrigin() {
    return addresses.publicOrigin();
  }

  ProviderEndpoints endpoints() {
    ProviderEndpoints known = endpoints;
    if (known != null) {
      return known;
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(addresses.discovery()))
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      throw new OidcFailure(
          "The identity provider's discovery document answered HTTP " + response.statusCode());
    }
    JsonNode document = parse(response.body());
    String named = document.path("issuer").asText();
    if (!addresses.issuer().equals(named)) {
      // Read on the internal address, a provider that does not know its public one names that.
      throw new OidcFailure(
          "The identity provider names issuer "
              + named
              + ", not "
              + addresses.issuer()
              + " (set its public URL, e.g. Keycloak's --hostname)");
    }
    String authorization = document.path("authorization_endpoint").asText(null);
    String token = document.path("token_endpoint").asText(null);
    if (authorization == null || token == null) {
      throw new OidcFailure("The identity provider's discovery document lacks its endpoints");
    }
    known =
        new ProviderEndpoints(
            addresses.frontChannel(authorization),
            addresses.backChannel(token),
            addresses.frontChannel(document.path("end_session_endpoint").asText(null)));
    endpoints = known;
    return known;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new OidcFailure("The identity provider cannot be reached");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OidcFailure("Interrupted while talking to the identity provider");
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new OidcFailure("The identity provider answered something that is not JSON");
    }
  }

  static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

  private static String form(Map<String, String> values) {
    return values.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    http.close();
  }
}
