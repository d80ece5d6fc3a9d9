package dev.turnpike.testkit.stripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Stripe's API, for tests: a real HTTP server on a free port that stripe-java
 * talks to through {@code StripeClient.builder().setApiBase(apiBase())}.
 *
 * <p>It records every API request (method, path, form parameters, {@code Idempotency-Key}) and
 * implements enough of Stripe to drive billing: customers, prices, Billing Meters, meter events
 * (identifiers unique, as Stripe enforces), and Checkout Sessions whose {@code url} is a hosted
 * page of this server, {@code /checkout/{id}}, with a "Pay" button; paying sends a correctly signed
 * {@code checkout.session.completed} webhook to {@link #deliverWebhooksTo} and redirects to the
 * session's {@code success_url}. A second button, "Bank debit (settles later)", completes the
 * session with the payment still {@code unpaid}, as Stripe does for delayed payment methods; {@link
 * #settleDelayedPayment} later sends {@code checkout.session.async_payment_succeeded} or {@code
 * _failed}. {@link #invoice} and {@link #stripeSubscription} build the invoices and subscription
 * Stripe would send about a paid session, for {@link #sendEvent}. Like Stripe, a repeated
 * idempotency key replays the first answer. {@link #failNext} makes the next calls answer 429 or
 * 5xx.
 */
public final class FakeStripeServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final Map<String, Answer> byIdempotencyKey = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> sessions = new ConcurrentHashMap<>();
  private final Map<String, String> subscriptionsBySession = new ConcurrentHashMap<>();
  private final Map<String, String> meterEventIdentifiers = new ConcurrentHashMap<>();
  private final List<Integer> webhookStatuses = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final HttpClient http = HttpClient.newHttpClient();
  private int failuresLeft;
  private int failureStatus;
  private volatile URI webhookUrl;
  private volatile String webhookSecret;

  private record Answer(int status, String body) {}

  private FakeStripeServer(HttpServer server) {
    this.server = server;
  }

  public static FakeStripeServer start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      FakeStripeServer fake = new FakeStripeServer(server);
      server.createContext("/", fake::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What to give {@code StripeClient.builder().setApiBase(..)}. */
  public String apiBase() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Where "Pay" on the hosted checkout page (and {@link #sendEvent}) delivers webhooks. */
  public void deliverWebhooksTo(URI url, String signingSecret) {
    this.webhookUrl = url;
    this.webhookSecret = signingSecret;
  }

  /** The next {@code count} API calls answer {@code status} (429, 500, 503 ...). */
  public synchronized void failNext(int count, int status) {
    this.failuresLeft = count;
    this.failureStatus = status;
  }

  public synchronized List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public synchronized List<RecordedRequest> requests(String method, String path) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  public synchronized void clearRequests() {
    requests.clear();
  }

  /** Identifiers of the meter events Stripe would count: each once, replays not included. */
  public List<String> acceptedMeterEventIdentifiers() {
    return meterEventIdentifiers.keySet().stream().sorted().toList();
  }

  /** HTTP statuses the webhook endpoint answered, in delivery order. */
  public synchronized List<Integer> webhookStatuses() {
    return List.copyOf(webhookStatuses);
  }

  /**
   * Delivers a signed event of {@code type} carrying {@code object} as {@code data.object}.
   *
   * @return the webhook endpoint's HTTP status
   */
  public int sendEvent(String eventId, String type, Map<String, Object> object) {
    return sendEvent(eventId, type, object, System.currentTimeMillis() / 1000);
  }

  /**
   * As {@link #sendEvent(String, String, Map)}, with the event's {@code created} (Unix seconds).
   */
  public int sendEvent(String eventId, String type, Map<String, Object> object, long created) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", eventId);
    event.put("object", "event");
    event.put("api_version", "2025-11-17.clover");
    event.put("created", created);
    event.put("livemode", false);
    event.put("type", type);
    event.put("data", Map.of("object", object));
    return deliver(json(event));
  }

  /**
   * Ends a session completed by "Pay by bank debit": sends {@code
   * checkout.session.async_payment_succeeded} (the session now {@code paid}) or {@code
   * checkout.session.async_payment_failed} (still {@code unpaid}).
   *
   * @return the webhook endpoint's HTTP status
   */
  public int settleDelayedPayment(String sessionId, boolean succeeded) {
    return sendEvent(
        "evt_" + ids.incrementAndGet(),
        succeeded
            ? "checkout.session.async_payment_succeeded"
            : "checkout.session.async_payment_failed",
        sessionObject(sessionId, succeeded ? "paid" : "unpaid"));
  }

  /**
   * The Checkout Session as Stripe sends it in its events, once completed: its Stripe subscription,
   * its metadata and the given {@code payment_status} ({@code paid}, {@code unpaid}, {@code
   * no_payment_required}).
   */
  public Map<String, Object> sessionObject(String sessionId, String paymentStatus) {
    Map<String, String> session = session(sessionId);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("id", sessionId);
    object.put("object", "checkout.session");
    object.put("mode", session.get("mode"));
    object.put("status", "complete");
    object.put("payment_status", paymentStatus);
    object.put("customer", session.get("customer"));
    object.put(
        "subscription",
        subscriptionsBySession.computeIfAbsent(sessionId, s -> "sub_" + ids.incrementAndGet()));
    object.put("client_reference_id", session.get("client_reference_id"));
    object.put("metadata", prefixed(session, "metadata"));
    return object;
  }

  /**
   * An invoice of the Stripe subscription a session created, as {@code invoice.paid} and {@code
   * invoice.payment_failed} carry it: its parent names the subscription and the metadata the
   * session gave it.
   *
   * @param created the invoice's creation time, Unix seconds: how Stripe's invoices are ordered
   */
  public Map<String, Object> invoice(String sessionId, String invoiceId, long created) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("subscription", sessionObject(sessionId, "paid").get("subscription"));
    details.put("metadata", prefixed(session(sessionId), "subscription_data[metadata]"));
    Map<String, Object> invoice = new LinkedHashMap<>();
    invoice.put("id", invoiceId);
    invoice.put("object", "invoice");
    invoice.put("created", created);
    invoice.put("customer", session(sessionId).get("customer"));
    invoice.put("parent", Map.of("type", "subscription_details", "subscription_details", details));
    return invoice;
  }

  /** The Stripe subscription a session created, as {@code customer.subscription.*} carry it. */
  public Map<String, Object> stripeSubscription(String sessionId, String status) {
    Map<String, Object> subscription = new LinkedHashMap<>();
    subscription.put("id", sessionObject(sessionId, "paid").get("subscription"));
    subscription.put("object", "subscription");
    subscription.put("status", status);
    subscription.put("customer", session(sessionId).get("customer"));
    subscription.put("metadata", prefixed(session(sessionId), "subscription_data[metadata]"));
    return subscription;
  }

  private Map<String, String> session(String sessionId) {
    Map<String, String> session = sessions.get(sessionId);
    if (session == null) {
      throw new IllegalArgumentException("no checkout session " + sessionId);
    }
    return session;
  }

  private int deliver(String payload) {
    if (webhookUrl == null) {
      throw new IllegalStateException("call deliverWebhooksTo first");
    }
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(webhookUrl)
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json; charset=utf-8")
                  .header("Stripe-Signature", WebhookSigner.signatureHeader(payload, webhookSecret))
                  .POST(HttpRequest.BodyPublishers.ofString(payload))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      synchronized (this) {
        webhookStatuses.add(response.statusCode());
      }
      return response.statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.startsWith("/checkout/")) {
        hostedCheckout(exchange, method, path);
        return;
      }
      Map<String, String> params = form(exchange);
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      Answer answer = answer(method, path, params, key);
      synchronized (this) {
        requests.add(
            new RecordedRequest(
                method,
                path,
                params,
                key,
                exchange.getRequestHeaders().getFirst("Authorization"),
                answer.status()));
      }
      send(exchange, answer.status(), "application/json", answer.body());
    }
  }

  private Answer answer(String method, String path, Map<String, String> params, String key) {
    synchronized (this) {
      if (failuresLeft > 0) {
        failuresLeft--;
        return error(
            failureStatus, failureStatus == 429 ? "rate_limit" : "api_error", "injected failure");
      }
    }
    if (key != null) {
      Answer earlier = byIdempotencyKey.get(method + " " + path + " " + key);
      if (earlier != null) {
        return earlier;
      }
    }
    Answer answer = create(method, path, params);
    if (key != null && answer.status() < 500) {
      byIdempotencyKey.put(method + " " + path + " " + key, answer);
    }
    return answer;
  }

  private Answer create(String method, String path, Map<String, String> params) {
    if (!method.equals("POST")) {
      return error(404, "invalid_request_error", "Unrecognized request URL (" + method + ")");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    switch (path) {
      case "/v1/customers" -> {
        body.put("id", "cus_" + ids.incrementAndGet());
        body.put("object", "customer");
        body.put("email", params.get("email"));
        body.put("name", params.get("name"));
      }
      case "/v1/prices" -> {
        body.put("id", "price_" + ids.incrementAndGet());
        body.put("object", "price");
        body.put("currency", params.get("currency"));
      }
      case "/v1/billing/meters" -> {
        body.put("id", "mtr_" + ids.incrementAndGet());
        body.put("object", "billing.meter");
        body.put("event_name", params.get("event_name"));
        body.put("status", "active");
      }
      case "/v1/billing/meter_events" -> {
        String identifier = params.get("identifier");
        if (meterEventIdentifiers.putIfAbsent(identifier, identifier) != null) {
          return error(
              400,
              "invalid_request_error",
              "An event with identifier " + identifier + " already exists.");
        }
        body.put("object", "billing.meter_event");
        body.put("event_name", params.get("event_name"));
        body.put("identifier", identifier);
        body.put("timestamp", Long.parseLong(params.get("timestamp")));
      }
      case "/v1/checkout/sessions" -> {
        String id = "cs_test_" + ids.incrementAndGet();
        sessions.put(id, params);
        body.put("id", id);
        body.put("object", "checkout.session");
        body.put("mode", params.get("mode"));
        body.put("customer", params.get("customer"));
        body.put("status", "open");
        body.put("url", apiBase() + "/checkout/" + id);
      }
      default -> {
        return error(404, "invalid_request_error", "Unrecognized request URL (POST: " + path + ")");
      }
    }
    return new Answer(200, json(body));
  }

  private void hostedCheckout(HttpExchange exchange, String method, String path)
      throws IOException {
    String[] parts = path.split("/");
    String id = parts.length > 2 ? parts[2] : "";
    Map<String, String> session = sessions.get(id);
    if (session == null) {
      send(exchange, 404, "text/plain", "no such checkout session");
      return;
    }
    if (method.equals("GET") && parts.length == 3) {
      send(
          exchange,
          200,
          "text/html; charset=utf-8",
          "<!doctype html><html><head><title>Fake Stripe Checkout</title></head><body>"
              + "<h1>Fake Stripe Checkout</h1><p>Session "
              + id
              + "</p>"
              + "<form method=\"post\" action=\"/checkout/"
              + id
              + "/pay\">"
              + "<button type=\"submit\" id=\"pay\">Pay</button></form>"
              + "<form method=\"post\" action=\"/checkout/"
              + id
              + "/pay-later\">"
              + "<button type=\"submit\" id=\"pay-later\">Bank debit (settles later)</button></form>"
              + "</body></html>");
      return;
    }
    if (method.equals("POST")
        && parts.length == 4
        && (parts[3].equals("pay") || parts[3].equals("pay-later"))) {
      // A card is paid at once; a bank debit completes the session unpaid and settles later.
      String paymentStatus = parts[3].equals("pay") ? "paid" : "unpaid";
      sendEvent(
          "evt_" + ids.incrementAndGet(),
          "checkout.session.completed",
          sessionObject(id, paymentStatus));
      String success = session.get("success_url").replace("{CHECKOUT_SESSION_ID}", id);
      exchange.getResponseHeaders().add("Location", success);
      exchange.sendResponseHeaders(303, -1);
      return;
    }
    send(exchange, 405, "text/plain", "method not allowed");
  }

  /** The map {@code name[...]} form parameters describe, e.g. {@code metadata[tenant_id]}. */
  private static Map<String, String> prefixed(Map<String, String> params, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    params.forEach(
        (k, v) -> {
          if (k.startsWith(name + "[")
              && k.endsWith("]")
              && k.indexOf(']', name.length()) == k.length() - 1) {
            out.put(k.substring(name.length() + 1, k.length() - 1), v);
          }
        });
    return out;
  }

  private static Map<String, String> form(HttpExchange exchange) throws IOException {
    String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String query = exchange.getRequestURI().getRawQuery();
    if (raw.isEmpty() && query != null) {
      raw = query;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }

  private static Answer error(int status, String type, String message) {
    return new Answer(status, json(Map.of("error", Map.of("type", type, "message", message))));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
