package dev.turnpike.controlplane.portal.impl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.portal.CheckoutSessions;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks metering's billing service for a checkout page: {@code POST {billingUrl}/billing/checkout-
 * sessions} with the shared internal token in {@code X-Turnpike-Internal-Token}, answered {@code
 * 201 {"sessionId": .., "url": ..}} (metering/BILLING.md). Blocking (the JDK client on the caller's
 * virtual thread).
 */
public final class HttpCheckoutSessions implements CheckoutSessions {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final String billingUrl;
  private final String token;
  private final HttpClient http;

  /**
   * @param billingUrl null when there is no billing service
   */
  public HttpCheckoutSessions(String billingUrl, String token) {
    this.billingUrl = billingUrl == null ? null : billingUrl.replaceAll("/+$", "");
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public boolean configured() {
    return billingUrl != null;
  }

  @Override
  public Session create(Request request) {
    if (!configured()) {
      throw new ApiFailure(ProblemKind.UNAVAILABLE, "Paid plans need billing configured");
    }
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(billingUrl + "/billing/checkout-sessions"))
            .timeout(TIMEOUT)
            .header("X-Turnpike-Internal-Token", token)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(post, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unavailable("billing cannot be reached");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while calling billing");
    }
    if (response.statusCode() == 409) {
      throw ApiFailure.conflict(
          "This subscription cannot be paid for now: it was cancelled, is paid already, or its"
              + " plan costs nothing");
    }
    if (response.statusCode() / 100 != 2) {
      throw unavailable("billing answered HTTP " + response.statusCode());
    }
    JsonNode body = Json.read(response.body(), JsonNode.class);
    String url = body.path("url").asText(null);
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw unavailable("billing answered without a checkout URL");
    }
    return new Session(body.path("sessionId").asText(null), url);
  }

  private static ApiFailure unavailable(String why) {
    return new ApiFailure(
        ProblemKind.UNAVAILABLE, "Checkout is not available right now (" + why + "); try again");
  }
}
