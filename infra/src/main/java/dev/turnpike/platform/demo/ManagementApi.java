package dev.turnpike.platform.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.platform.PlatformException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The control plane's management API as a script uses it: real HTTP with a bearer token from
 * Keycloak's password grant. Any answer other than the expected status stops the seeding with the
 * request and the problem the API returned.
 */
final class ManagementApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final String baseUrl;
  private final String token;

  ManagementApi(HttpClient http, String baseUrl, String token) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /** Signs a user in through the public CLI client and returns the access token. */
  static String passwordGrant(
      HttpClient http, String tokenEndpoint, String clientId, String user, String password) {
    String form =
        Map.of(
                "grant_type", "password",
                "client_id", clientId,
                "username", user,
                "password", password,
                "scope", "openid")
            .entrySet()
            .stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(tokenEndpoint))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response = send(http, request);
    if (response.statusCode() != 200) {
      throw new PlatformException(
          "Keycloak refused the password grant for "
              + user
              + " at "
              + tokenEndpoint
              + ": HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
    JsonNode accessToken = parse(response.body()).path("access_token");
    if (!accessToken.isTextual()) {
      throw new PlatformException("Keycloak's token response has no access_token");
    }
    return accessToken.asText();
  }

  JsonNode get(String path) {
    return expect(200, "GET", path, HttpRequest.BodyPublishers.noBody());
  }

  JsonNode post(String path, JsonNode body) {
    return expect(201, "POST", path, HttpRequest.BodyPublishers.ofString(body.toString()));
  }

  JsonNode put(String path, JsonNode body) {
    return expect(200, "PUT", path, HttpRequest.BodyPublishers.ofString(body.toString()));
  }

  /** The first item of a list answer ({@code {"items": [...]}}) that matches. */
  Optional<JsonNode> find(String path, Predicate<JsonNode> matches) {
    return StreamSupport.stream(get(path).path("items").spliterator(), false)
        .filter(matches)
        .findFirst();
  }

  static Predicate<JsonNode> field(String name, String value) {
    return node -> value.equals(node.path(name).asText(null));
  }

  private JsonNode expect(int status, String method, String path, HttpRequest.BodyPublisher body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .method(method, body)
            .build();
    HttpResponse<String> response = send(http, request);
    if (response.statusCode() != status) {
      throw new PlatformException(
          method
              + " "
              + path
              + " answered "
              + response.statusCode()
              + " (expected "
              + status
              + "): "
              + response.body());
    }
    return response.body().isEmpty() ? JSON.createObjectNode() : parse(response.body());
  }

  static ObjectMapper json() {
    return JSON;
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new PlatformException(
          request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("interrupted during " + request.uri(), e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new PlatformException("not JSON: " + body, e);
    }
  }
}
