package dev.turnpike.metering.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.turnpike.metering.billing.BillingProblem;
import java.io.IOException;
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
 *       metadata.
 *   <li>{@code invoice.payment_failed}: suspends the subscription and its app's keys.
 *   <li>{@code invoice.paid}: reinstates them.
 *   <li>anything else: recorded and ignored.
 * </ul>
 *
 * A bad signature or malformed event is a 400 {@link BillingProblem} and changes nothing.
 */
public final class StripeWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(StripeWebhooks.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TOLERANCE_SECONDS = 300;

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
    boolean fresh =
        switch (type) {
          case "checkout.session.completed" -> checkoutCompleted(id, type, object);
          case "invoice.payment_failed" -> ledger.suspend(id, type, invoiceSubscription(object));
          case "invoice.paid" -> ledger.reinstate(id, type, invoiceSubscription(object));
          default -> {
            ledger.ignore(id, type);
            yield false;
          }
        };
    Result result =
        switch (type) {
          case "checkout.session.completed", "invoice.payment_failed", "invoice.paid" ->
              fresh ? Result.HANDLED : Result.DUPLICATE;
          default -> Result.IGNORED;
        };
    LOG.info("Stripe event {} ({}): {}", id, type, result);
    return result;
  }

  private boolean checkoutCompleted(String id, String type, JsonNode session) {
    JsonNode meta = session.path("metadata");
    UUID tenant = uuid(meta.path("tenant_id").asText(null));
    UUID subscription = uuid(meta.path("subscription_id").asText(null));
    if (tenant == null || subscription == null) {
      LOG.warn("Checkout session {} names no Turnpike subscription; ignored", session.path("id"));
      ledger.ignore(id, type);
      return false;
    }
    return ledger.activate(
        id,
        type,
        tenant,
        subscription,
        text(session.path("subscription")),
        text(session.path("id")));
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
