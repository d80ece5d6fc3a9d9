package dev.turnpike.metering.invoice.impl;

import static dev.turnpike.db.Tables.SUBSCRIPTIONS;

import dev.turnpike.db.tables.Subscriptions;
import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The SQL side of {@link dev.turnpike.metering.rating.BillableHours}: whether another subscription
 * of the same app to the same plan ended inside the hour a subscription started in. Shared by the
 * period close and the Stripe meter reporting, which must split hours the same way.
 */
public final class SamePlanPredecessor {
  private SamePlanPredecessor() {}

  /** For the current row of {@code SUBSCRIPTIONS}. */
  public static Field<Boolean> endedInFirstHour() {
    Subscriptions earlier = SUBSCRIPTIONS.as("earlier");
    return DSL.field(
        DSL.exists(
            DSL.selectOne()
                .from(earlier)
                .where(
                    earlier.APP_ID.eq(SUBSCRIPTIONS.APP_ID),
                    earlier.PLAN_ID.eq(SUBSCRIPTIONS.PLAN_ID),
                    earlier.ID.ne(SUBSCRIPTIONS.ID),
                    earlier.ENDED_AT.le(SUBSCRIPTIONS.STARTED_AT),
                    earlier.ENDED_AT.gt(
                        DSL.field(
                            "date_trunc('hour', {0})",
                            OffsetDateTime.class, SUBSCRIPTIONS.STARTED_AT)))));
  }
}
