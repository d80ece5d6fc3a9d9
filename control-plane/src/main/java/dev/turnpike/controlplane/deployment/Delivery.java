package dev.turnpike.controlplane.deployment;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * Whether what a stage serves reached the gateways: the relay published its record, it waits in the
 * outbox, or Kafka refused it (then the gateways keep serving the stage's previous deployment).
 *
 * @param failure why the record was refused, null unless {@link Status#FAILED}
 */
public record Delivery(Status status, String failure) {
  public static final Delivery PUBLISHED = new Delivery(Status.PUBLISHED, null);
  public static final Delivery PENDING = new Delivery(Status.PENDING, null);

  public enum Status {
    PENDING,
    PUBLISHED,
    FAILED;

    @JsonValue
    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One publication of a record: sent, refused (with why), or neither yet. */
  public record Publication(boolean sent, String failure) {
    public Delivery delivery() {
      if (failure != null) {
        return new Delivery(Status.FAILED, failure);
      }
      return sent ? PUBLISHED : PENDING;
    }
  }

  /**
   * A deployment's delivery from the latest publication of it on each stage: failed if any was
   * refused, pending if any waits, published otherwise. A deployment with no publications on record
   * was published before they were recorded.
   */
  public static Delivery of(List<Publication> latestPerStage) {
    Delivery pending = null;
    for (Publication publication : latestPerStage) {
      Delivery delivery = publication.delivery();
      if (delivery.status() == Status.FAILED) {
        return delivery;
      }
      if (delivery.status() == Status.PENDING) {
        pending = delivery;
      }
    }
    return pending == null ? PUBLISHED : pending;
  }
}
