package dev.turnpike.metering.stripe.impl;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterEventCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import dev.turnpike.metering.stripe.RetryPolicy;
import dev.turnpike.metering.stripe.StripeApi;
import dev.turnpike.metering.stripe.StripeFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StripeApi} through stripe-java. stripe-java's own retries are off: this class retries 429,
 * 5xx and network failures itself with exponential back-off, always with the same idempotency key,
 * so Stripe replays the first result instead of acting twice.
 */
public final class StripeJavaApi implements StripeApi {
  private static final Logger LOG = LoggerFactory.getLogger(StripeJavaApi.class);

  /** Blocking work the retry loop runs; one Stripe call. */
  private interface Call<T> {
    T run(RequestOptions options) throws StripeException;
  }

  private final StripeClient client;
  private final RetryPolicy retry;

  public StripeJavaApi(String apiKey, String apiBase, RetryPolicy retry) {
    StripeClient.StripeClientBuilder builder =
        StripeClient.builder()
            .setApiKey(apiKey)
            .setMaxNetworkRetries(0)
            .setConnectTimeout(10_000)
            .setReadTimeout(30_000);
    if (apiBase != null) {
      builder.setApiBase(apiBase).setConnectBase(apiBase).setFilesBase(apiBase);
    }
    this.client = builder.build();
    this.retry = retry;
  }

  @Override
  public String createCustomer(
      String idempotencyKey, String email, String name, Map<String, String> meta) {
    CustomerCreateParams params =
        CustomerCreateParams.builder().setEmail(email).setName(name).putAllMetadata(meta).build();
    return call(
        "create customer", idempotencyKey, o -> client.v1().customers().create(params, o).getId());
  }

  @Override
  public String createMeter(String idempotencyKey, String displayName, String eventName) {
    MeterCreateParams params =
        MeterCreateParams.builder()
            .setDisplayName(displayName)
            .setEventName(eventName)
            .setDefaultAggregation(
                MeterCreateParams.DefaultAggregation.builder()
                    .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM)
                    .build())
            .setCustomerMapping(
                MeterCreateParams.CustomerMapping.builder()
                    .setType(MeterCreateParams.CustomerMapping.Type.BY_ID)
                    .setEventPayloadKey("stripe_customer_id")
                    .build())
            .setValueSettings(
                MeterCreateParams.ValueSettings.builder().setEventPayloadKey("value").build())
            .build();
    return call(
        "create meter",
        idempotencyKey,
        o -> client.v1().billing().meters().create(params, o).getId());
  }

  @Override
  public String createPrice(String idempotencyKey, PriceSpec spec) {
    PriceCreateParams.Recurring.Builder recurring =
        PriceCreateParams.Recurring.builder()
            .setInterval(PriceCreateParams.Recurring.Interval.MONTH);
    PriceCreateParams.Builder params =
        PriceCreateParams.builder()
            .setCurrency(spec.currency())
            .setProductData(
                PriceCreateParams.ProductData.builder().setName(spec.productName()).build())
            .putAllMetadata(spec.metadata());
    if (spec.meterId() == null) {
      recurring.setUsageType(PriceCreateParams.Recurring.UsageType.LICENSED);
      params.setUnitAmount(spec.unitAmountCents());
    } else {
      recurring
          .setUsageType(PriceCreateParams.Recurring.UsageType.METERED)
          .setMeter(spec.meterId());
      if (spec.tiers().isEmpty()) {
        params.setUnitAmountDecimal(spec.unitAmountDecimalCents());
      } else {
        params
            .setBillingScheme(PriceCreateParams.BillingScheme.TIERED)
            .setTiersMode(
                "volume".equals(spec.tiersMode())
                    ? PriceCreateParams.TiersMode.VOLUME
                    : PriceCreateParams.TiersMode.GRADUATED);
        for (PriceSpec.Tier tier : spec.tiers()) {
          PriceCreateParams.Tier.Builder t =
              PriceCreateParams.Tier.builder()
                  .setUnitAmountDecimal(tier.unitAmountDecimalCents())
                  .setFlatAmount(tier.flatAmount());
          if (tier.upTo() == null) {
            t.setUpTo(PriceCreateParams.Tier.UpTo.INF);
          } else {
            t.setUpTo(tier.upTo());
          }
          params.addTier(t.build());
        }
      }
    }
    params.setRecurring(recurring.build());
    PriceCreateParams built = params.build();
    return call("create price", idempotencyKey, o -> client.v1().prices().create(built, o).getId());
  }

  @Override
  public CheckoutSession createCheckoutSession(String idempotencyKey, CheckoutSpec spec) {
    SessionCreateParams.Builder params =
        SessionCreateParams.builder()
            .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
            .setCustomer(spec.customerId())
            .setSuccessUrl(spec.successUrl())
            .setCancelUrl(spec.cancelUrl())
            .setClientReferenceId(spec.clientReferenceId())
            .putAllMetadata(spec.metadata())
            .setSubscriptionData(
                SessionCreateParams.SubscriptionData.builder()
                    .putAllMetadata(spec.metadata())
                    .build());
    for (StripeApi.LineItem line : spec.items()) {
      SessionCreateParams.LineItem.Builder item =
          SessionCreateParams.LineItem.builder().setPrice(line.priceId());
      if (line.quantity() != null) {
        item.setQuantity(line.quantity());
      }
      params.addLineItem(item.build());
    }
    SessionCreateParams built = params.build();
    return call(
        "create checkout session",
        idempotencyKey,
        o -> {
          var session = client.v1().checkout().sessions().create(built, o);
          return new CheckoutSession(session.getId(), session.getUrl());
        });
  }

  @Override
  public void createMeterEvent(
      String idempotencyKey,
      String eventName,
      String identifier,
      String customerId,
      long value,
      Instant timestamp) {
    MeterEventCreateParams params =
        MeterEventCreateParams.builder()
            .setEventName(eventName)
            .setIdentifier(identifier)
            .putPayload("stripe_customer_id", customerId)
            .putPayload("value", Long.toString(value))
            .setTimestamp(timestamp.getEpochSecond())
            .build();
    call(
        "create meter event",
        idempotencyKey,
        o -> client.v1().billing().meterEvents().create(params, o));
  }

  private <T> T call(String what, String idempotencyKey, Call<T> call) {
    RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run(options);
      } catch (StripeException e) {
        int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
        boolean retryable = e instanceof ApiConnectionException || status == 429 || status >= 500;
        if (!retryable || attempt >= retry.maxAttempts()) {
          throw new StripeFailure(
              "Stripe " + what + " failed after " + attempt + " attempt(s): " + e.getMessage(),
              status,
              e);
        }
        Duration delay = retry.delayBefore(attempt + 1);
        LOG.warn(
            "Stripe {} answered {} (attempt {} of {}); retrying in {} ms with idempotency key {}",
            what,
            status == 0 ? "nothing" : status,
            attempt,
            retry.maxAttempts(),
            delay.toMillis(),
            idempotencyKey);
        sleep(delay);
      }
    }
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StripeFailure("interrupted while backing off a Stripe retry", 0, e);
    }
  }
}
