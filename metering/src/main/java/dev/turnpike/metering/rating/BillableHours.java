package dev.turnpike.metering.rating;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Which hours of usage a subscription pays for. Usage is aggregated per app, plan and UTC hour, so
 * a subscription reads the hours of its app on its plan while it was live, including the partial
 * hours it started and ended in: usage is never given away at a start, an end or a plan change (the
 * plans' rows differ). The one hour two subscriptions could both claim is the one in which an app
 * left a plan and subscribed to the same plan again; it goes to the earlier subscription.
 */
public final class BillableHours {
  private BillableHours() {}

  /**
   * The first usage hour of a subscription.
   *
   * @param predecessorEndedInThatHour whether another subscription of the same app to the same plan
   *     ended inside the hour this one started in
   */
  public static Instant first(Instant startedAt, boolean predecessorEndedInThatHour) {
    Instant hour = startedAt.truncatedTo(ChronoUnit.HOURS);
    return predecessorEndedInThatHour ? hour.plus(1, ChronoUnit.HOURS) : hour;
  }

  /** The end (exclusive) of an ended subscription's usage hours: the end of its last hour. */
  public static Instant end(Instant endedAt) {
    Instant hour = endedAt.truncatedTo(ChronoUnit.HOURS);
    return hour.equals(endedAt) ? hour : hour.plus(1, ChronoUnit.HOURS);
  }
}
