package dev.turnpike.metering.stripe.impl;

import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.STRIPE_LINKS;
import static dev.turnpike.db.Tables.STRIPE_METER_EVENTS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static dev.turnpike.db.Tables.USAGE_AGGREGATES;
import static dev.turnpike.db.Tables.USAGE_PLANS;

import dev.turnpike.db.tables.StripeLinks;
import dev.turnpike.metering.invoice.impl.SamePlanPredecessor;
import dev.turnpike.metering.rating.BillableHours;
import dev.turnpike.metering.stripe.MeterEvent;
import dev.turnpike.metering.stripe.MeterEventStore;
import dev.turnpike.metering.stripe.MeteredSubscription;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** {@link MeterEventStore} on PostgreSQL, as metering's role. */
public final class JooqMeterEventStore implements MeterEventStore {
  private final DSLContext db;

  public JooqMeterEventStore(DSLContext db) {
    this.db = db;
  }

  @Override
  public List<MeteredSubscription> meteredSince(Instant since) {
    StripeLinks paid = STRIPE_LINKS.as("paid");
    StripeLinks customer = STRIPE_LINKS.as("customer");
    Field<Boolean> predecessor = SamePlanPredecessor.endedInFirstHour();
    return db.select(
            SUBSCRIPTIONS.TENANT_ID,
            SUBSCRIPTIONS.ID,
            SUBSCRIPTIONS.APP_ID,
            SUBSCRIPTIONS.PLAN_ID,
            customer.STRIPE_ID,
            SUBSCRIPTIONS.STARTED_AT,
            SUBSCRIPTIONS.ENDED_AT,
            predecessor)
        .from(SUBSCRIPTIONS)
        .join(USAGE_PLANS)
        .on(USAGE_PLANS.ID.eq(SUBSCRIPTIONS.PLAN_ID))
        .join(APPS)
        .on(APPS.ID.eq(SUBSCRIPTIONS.APP_ID))
        .join(paid)
        .on(
            paid.ENTITY_TYPE.eq("subscription"),
            paid.ENTITY_ID.eq(SUBSCRIPTIONS.ID),
            paid.STRIPE_TYPE.eq("subscription"))
        .join(customer)
        .on(
            customer.ENTITY_TYPE.eq("user"),
            customer.ENTITY_ID.eq(APPS.OWNER_USER_ID),
            customer.STRIPE_TYPE.eq("customer"))
        .where(
            USAGE_PLANS.PRICING_MODEL.in("per_request", "graduated", "volume"),
            SUBSCRIPTIONS.STARTED_AT.isNotNull(),
            SUBSCRIPTIONS.ENDED_AT.isNull().or(SUBSCRIPTIONS.ENDED_AT.gt(time(since))))
        .orderBy(SUBSCRIPTIONS.ID)
        .fetch(
            r ->
                new MeteredSubscription(
                    r.value1(),
                    r.value2(),
                    r.value3(),
                    r.value4(),
                    r.value5(),
                    r.value6().toInstant(),
                    r.value7() == null ? null : r.value7().toInstant(),
                    BillableHours.first(r.value6().toInstant(), r.value8())));
  }

  @Override
  public Map<Instant, Long> billableByHour(
      UUID tenantId, UUID appId, UUID planId, Instant from, Instant to) {
    Field<BigDecimal> billable =
        DSL.sum(
            USAGE_AGGREGATES
                .CALLS
                .minus(USAGE_AGGREGATES.ERRORS_4XX)
                .minus(USAGE_AGGREGATES.ERRORS_5XX));
    Map<Instant, Long> hours = new HashMap<>();
    db.select(USAGE_AGGREGATES.BUCKET_START, billable)
        .from(USAGE_AGGREGATES)
        .where(
            USAGE_AGGREGATES.TENANT_ID.eq(tenantId),
            USAGE_AGGREGATES.GRANULARITY.eq("hour"),
            USAGE_AGGREGATES.APP_ID.eq(appId.toString()),
            USAGE_AGGREGATES.PLAN_ID.eq(planId.toString()),
            USAGE_AGGREGATES.BUCKET_START.ge(time(from)),
            USAGE_AGGREGATES.BUCKET_START.lt(time(to)))
        .groupBy(USAGE_AGGREGATES.BUCKET_START)
        .forEach(r -> hours.put(r.value1().toInstant(), r.value2().longValueExact()));
    return hours;
  }

  @Override
  public Map<Instant, Reported> reportedByHour(UUID subscriptionId, Instant from, Instant to) {
    Map<Instant, Reported> hours = new HashMap<>();
    db.select(STRIPE_METER_EVENTS.HOUR_START, DSL.sum(STRIPE_METER_EVENTS.QUANTITY), DSL.count())
        .from(STRIPE_METER_EVENTS)
        .where(
            STRIPE_METER_EVENTS.SUBSCRIPTION_ID.eq(subscriptionId),
            STRIPE_METER_EVENTS.HOUR_START.ge(time(from)),
            STRIPE_METER_EVENTS.HOUR_START.lt(time(to)))
        .groupBy(STRIPE_METER_EVENTS.HOUR_START)
        .forEach(
            r ->
                hours.put(
                    r.value1().toInstant(), new Reported(r.value2().longValueExact(), r.value3())));
    return hours;
  }

  @Override
  public void record(List<MeterEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    db.transaction(
        cfg -> {
          for (MeterEvent e : events) {
            cfg.dsl()
                .insertInto(STRIPE_METER_EVENTS)
                .set(STRIPE_METER_EVENTS.IDENTIFIER, e.identifier())
                .set(STRIPE_METER_EVENTS.TENANT_ID, e.tenantId())
                .set(STRIPE_METER_EVENTS.SUBSCRIPTION_ID, e.subscriptionId())
                .set(STRIPE_METER_EVENTS.HOUR_START, time(e.hourStart()))
                .set(STRIPE_METER_EVENTS.QUANTITY, e.quantity())
                .set(STRIPE_METER_EVENTS.EVENT_NAME, e.eventName())
                .set(STRIPE_METER_EVENTS.STRIPE_CUSTOMER, e.customerId())
                .onConflict(STRIPE_METER_EVENTS.IDENTIFIER)
                .doNothing()
                .execute();
          }
        });
  }

  @Override
  public List<MeterEvent> unsent(int limit) {
    return db.selectFrom(STRIPE_METER_EVENTS)
        .where(STRIPE_METER_EVENTS.SENT_AT.isNull())
        .orderBy(
            STRIPE_METER_EVENTS.CREATED_AT,
            STRIPE_METER_EVENTS.HOUR_START,
            STRIPE_METER_EVENTS.IDENTIFIER)
        .limit(limit)
        .fetch(
            r ->
                new MeterEvent(
                    r.getIdentifier(),
                    r.getTenantId(),
                    r.getSubscriptionId(),
                    r.getHourStart().toInstant(),
                    r.getQuantity(),
                    r.getEventName(),
                    r.getStripeCustomer()));
  }

  @Override
  public void markSent(String identifier, Instant at) {
    db.update(STRIPE_METER_EVENTS)
        .set(STRIPE_METER_EVENTS.SENT_AT, time(at))
        .where(STRIPE_METER_EVENTS.IDENTIFIER.eq(identifier))
        .execute();
  }

  private static OffsetDateTime time(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
