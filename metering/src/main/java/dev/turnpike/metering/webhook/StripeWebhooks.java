package dev.turnpike.metering.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.turnpike.metering.problem.BillingProblem;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a Stripe webhook delivery: verifies the {@code Stripe-Signature} header against the
 * endpoint's signing secret (HMAC-SHA256, five minutes' tolerance) before reading anything, then
 * acts on the event once.
 *
 * <ul>
 *   <li>{@code checkout.session.completed}: activates the subscription named in the session's
 *       metadata when its {@code payment_status} is {@code paid} or {@code no_payment_required};
 *       otherwise (a delayed payment method) marks it as paying, without access.
 *   <li>{@code checkout.session.async_payment_succeeded}: activates it.
 *   <li>{@code checkout.session.async_payment_failed}: leaves it unpaid, marked failed.
 *   <li>{@code invoice.payment_failed}: suspends the subscription and its app's keys.
 *   <li>{@code invoice.paid}: reinstates them.
 *   <li>{@code customer.subscription.deleted}: ends the subscription.
 *   <li>anything else: recorded and ignored.
 * </ul>
 *
 * Which state each may change, and in what order, is the {@link PaymentLedger}'s rule. A bad
 * signature or malformed event is a 400 {@link BillingProblem} and changes nothing.
 */
public final class StripeWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(StripeWebhooks.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TOLERANCE_SECONDS = 300;

  /** Checkout's {@code payment_status} values that mean nothing is left to pay. */
  private static final Set<String> PAID_AT_CHECKOUT = Set.of("paid", "no_payment_required");

  private static final Set<String> HANDLED_TYPES =
      Set.of(
          "checkout.session.completed",
          "checkout.session.async_payment_succeeded",
          "checkout.session.async_payment_failed",
          "invoice.payment_failed",
          "invoice.paid",
          "customer.subscription.deleted");

  /** What became of a delivery. */
  public enum Result {
    HANDLED,
    DUPLICATE,
    IGNORED
  }

  private final String signingSecret;
  private final PaymentLedger ledger;

  public StripeWebhooks(String signingSecret, PaymentLedger ledger) {
    this.signingSecret = signingSecret;
    this.ledger = ledger;
  }

  public Result handle(String payload, String signatureHeader) {
    if (signatureHeader == null || signatureHeader.isBlank()) {
      throw badRequest("missing Stripe-Signature header");
    }
    try {
      Webhook.Signature.verifyHeader(payload, signatureHeader, signingSecret, TOLERANCE_SECONDS);
    } catch (SignatureVerificationException e) {
      throw badRequest("Stripe-Signature does not verify: " + e.getMessage());
    }
    JsonNode event;
    try {
      event = JSON.readTree(payload);
    } catch (IOException e) {
      throw badRequest("the event is not JSON");
    }
    String id = event.path("id").asText("");
    String type = event.path("type").asText("");
    JsonNode object = event.path("data").path("object");
    if (id.isEmpty() || type.isEmpty() || !object.isObject()) {
      throw badRequest("the event lacks id, type or data.object");
    }
    Instant created = epochSeconds(event.path("created"));
    boolean fresh =
        switch (type) {
          case "checkout.session.completed" -> {
            CheckoutRef ref = checkoutRef(object);
            if (ref == null) {
              yield ignoreForeign(id, type, object);
            }
            String paymentStatus = object.path("payment_status").asText("");
            yield PAID_AT_CHECKOUT.contains(paymentStatus)
                ? ledger.checkoutPaid(id, type, ref)
                : ledger.checkoutUnpaid(id, type, ref);
          }
          case "checkout.session.async_payment_succeeded" -> {
            CheckoutRef ref = checkoutRef(object);
            yield ref == null
                ? ignoreForeign(id, type, object)
                : ledger.checkoutPaid(id, type, ref);
          }
          case "checkout.session.async_payment_failed" -> {
            CheckoutRef ref = checkoutRef(object);
            yield ref == null
                ? ignoreForeign(id, type, object)
                : ledger.checkoutPaymentFailed(id, type, ref);
          }
          case "invoice.payment_failed" -> ledger.invoiceFailed(id, type, invoice(object, created));
          case "invoice.paid" -> ledger.invoicePaid(id, type, invoice(object, created));
          case "customer.subscription.deleted" ->
              ledger.stripeSubscriptionEnded(id, type, stripeSubscription(object));
          default -> {
            ledger.ignore(id, type);
            yield false;
          }
        };
    Result result =
        HANDLED_TYPES.contains(type) ? (fresh ? Result.HANDLED : Result.DUPLICATE) : Result.IGNORED;
    LOG.info("Stripe event {} ({}): {}", id, type, result);
    return result;
  }

  /** The subscription a Checkout Session's metadata names, or null for a session not ours. */
  private static CheckoutRef checkoutRef(JsonNode session) {
    JsonNode meta = session.path("metadata");
    UUID tenant = uuid(meta.path("tenant_id").asText(null));
    UUID subscription = uuid(meta.path("subscription_id").asText(null));
    if (tenant == null || subscription == null) {
      return null;
    }
    return new CheckoutRef(
        tenant, subscription, text(session.path("subscription")), text(session.path("id")));
  }

  private boolean ignoreForeign(String id, String type, JsonNode session) {
    LOG.warn("Checkout session {} names no Turnpike subscription; ignored", session.path("id"));
    ledger.ignore(id, type);
    return false;
  }

  /** An invoice, ordered by its own creation time (the event's when it lacks one). */
  static InvoiceRef invoice(JsonNode invoice, Instant eventCreated) {
    Instant created = epochSeconds(invoice.path("created"));
    String invoiceId = text(invoice.path("id"));
    if (invoiceId == null) {
      throw badRequest("the invoice has no id");
    }
    return new InvoiceRef(
        invoiceSubscription(invoice), invoiceId, created != null ? created : eventCreated);
  }

  /** A Stripe subscription object: its id, and our ids from the metadata checkout gave it. */
  static SubscriptionRef stripeSubscription(JsonNode subscription) {
    String stripeId = text(subscription.path("id"));
    if (stripeId == null) {
      throw badRequest("the subscription has no id");
    }
    JsonNode meta = subscription.path("metadata");
    return new SubscriptionRef(
        uuid(meta.path("tenant_id").asText(null)),
        uuid(meta.path("subscription_id").asText(null)),
        stripeId);
  }

  /**
   * The subscription an invoice bills: its parent's subscription details in current API versions
   * (metadata copied from our Checkout Session), or the top-level {@code subscription} of older
   * ones.
   */
  static SubscriptionRef invoiceSubscription(JsonNode invoice) {
    JsonNode details = invoice.path("parent").path("subscription_details");
    JsonNode meta = details.path("metadata");
    if (meta.isMissingNode() || meta.isEmpty()) {
      meta = invoice.path("subscription_details").path("metadata");
    }
    String stripeSubscription = text(details.path("subscription"));
    if (stripeSubscription == null) {
      stripeSubscription = text(invoice.path("subscription"));
    }
    UUID tenant = uuid(meta.path("tenant_id").asText(null));
    UUID subscription = uuid(meta.path("subscription_id").asText(null));
    if ((tenant == null || subscription == null) && stripeSubscription == null) {
      throw badRequest("the invoice names no subscription");
    }
    return new SubscriptionRef(tenant, subscription, stripeSubscription);
  }

  private static String text(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    // Expanded objects carry their id.
    return node.path("id").isTextual() ? node.path("id").asText() : null;
  }

  private static Instant epochSeconds(JsonNode node) {
    return node.canConvertToLong() && node.asLong() > 0
        ? Instant.ofEpochSecond(node.asLong())
        : null;
  }

  private static UUID uuid(String value) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static BillingProblem badRequest(String detail) {
    return new BillingProblem(400, "invalid-webhook", "Webhook rejected", detail);
  }
}
