package dev.turnpike.metering.stripe;

/**
 * A Stripe call that failed for good: a 4xx Stripe refused, or a 429/5xx/network failure that
 * outlasted the retries.
 *
 * @param status Stripe's HTTP status, or 0 when no response came
 */
public final class StripeFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public StripeFailure(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
