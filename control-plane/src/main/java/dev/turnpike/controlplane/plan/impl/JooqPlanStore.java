package dev.turnpike.controlplane.plan.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.PLAN_METHOD_THROTTLES;
import static dev.turnpike.db.Tables.PLAN_PRICE_TIERS;
import static dev.turnpike.db.Tables.PLAN_STAGES;
import static dev.turnpike.db.Tables.STAGES;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static dev.turnpike.db.Tables.USAGE_PLANS;

import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.plan.PlanApiStage;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.plan.Pricing;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.db.tables.records.UsagePlansRecord;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** {@link PlanStore} on usage_plans, plan_price_tiers, plan_stages and plan_method_throttles. */
public final class JooqPlanStore implements PlanStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqPlanStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public void insert(UsagePlan plan) {
    UsagePlansRecord r = tx.newRecord(USAGE_PLANS);
    r.setId(plan.id());
    r.setTenantId(tenantId);
    r.setCreatedAt(time(plan.createdAt()));
    fill(r, plan);
    try {
      r.insert();
    } catch (DataAccessException e) {
      throw nameTaken(e, plan);
    }
    writeChildren(plan);
  }

  @Override
  public void update(UsagePlan plan) {
    UsagePlansRecord r =
        tx.selectFrom(USAGE_PLANS)
            .where(USAGE_PLANS.TENANT_ID.eq(tenantId), USAGE_PLANS.ID.eq(plan.id()))
            .fetchOne();
    if (r == null) {
      throw ApiFailure.notFound("Usage plan " + plan.id());
    }
    fill(r, plan);
    try {
      r.update();
    } catch (DataAccessException e) {
      throw nameTaken(e, plan);
    }
    tx.deleteFrom(PLAN_PRICE_TIERS)
        .where(PLAN_PRICE_TIERS.TENANT_ID.eq(tenantId), PLAN_PRICE_TIERS.PLAN_ID.eq(plan.id()))
        .execute();
    tx.deleteFrom(PLAN_STAGES)
        .where(PLAN_STAGES.TENANT_ID.eq(tenantId), PLAN_STAGES.PLAN_ID.eq(plan.id()))
        .execute();
    writeChildren(plan);
  }

  private static RuntimeException nameTaken(DataAccessException e, UsagePlan plan) {
    if (SqlErrors.isUniqueViolation(e)) {
      return ApiFailure.conflict("A usage plan named '" + plan.name() + "' exists");
    }
    return e;
  }

  private static void fill(UsagePlansRecord r, UsagePlan plan) {
    r.setName(plan.name());
    r.setDescription(plan.description());
    r.setThrottleRate(plan.throttle() == null ? null : plan.throttle().rateLimit());
    r.setThrottleBurst(plan.throttle() == null ? null : plan.throttle().burstLimit());
    r.setQuotaLimit(plan.quota() == null ? null : plan.quota().limit());
    r.setQuotaPeriod(plan.quota() == null ? null : plan.quota().period().name());
    r.setQuotaOffset(plan.quota() == null ? 0L : plan.quota().offset());
    Pricing pricing = plan.pricing();
    r.setPricingModel(pricing.model());
    r.setCurrency(pricing.currency());
    r.setFlatFeeCents(pricing.flatFeeCents());
    r.setUnitPriceMicros(pricing.unitPriceMicros());
    r.setIncludedRequests(pricing.includedRequests());
    r.setMessagePricePerMillionMicros(pricing.messagePricePerMillionMicros());
    r.setConnectionMinutePricePerMillionMicros(pricing.connectionMinutePricePerMillionMicros());
    r.setRequiresApproval(plan.requiresApproval());
    r.setStatus(plan.status());
    r.setLimitScope(plan.limitScope());
    r.setMaxConnectionsPerKey(plan.maxConnectionsPerKey());
    r.setUpdatedAt(time(plan.updatedAt()));
  }

  private void writeChildren(UsagePlan plan) {
    List<Pricing.PriceTier> tiers = plan.pricing().tiers();
    for (int i = 0; i < tiers.size(); i++) {
      Pricing.PriceTier tier = tiers.get(i);
      tx.insertInto(PLAN_PRICE_TIERS)
          .set(PLAN_PRICE_TIERS.TENANT_ID, tenantId)
          .set(PLAN_PRICE_TIERS.PLAN_ID, plan.id())
          .set(PLAN_PRICE_TIERS.TIER_INDEX, i)
          .set(PLAN_PRICE_TIERS.UP_TO, tier.upTo())
          .set(PLAN_PRICE_TIERS.UNIT_PRICE_MICROS, tier.unitPriceMicros())
          .set(PLAN_PRICE_TIERS.FLAT_FEE_CENTS, tier.flatFeeCents())
          .execute();
    }
    for (PlanApiStage stage : plan.apiStages()) {
      tx.insertInto(PLAN_STAGES)
          .set(PLAN_STAGES.TENANT_ID, tenantId)
          .set(PLAN_STAGES.PLAN_ID, plan.id())
          .set(PLAN_STAGES.STAGE_ID, stage.stageId())
          .set(
              PLAN_STAGES.THROTTLE_RATE,
              stage.throttle() == null ? null : stage.throttle().rateLimit())
          .set(
              PLAN_STAGES.THROTTLE_BURST,
              stage.throttle() == null ? null : stage.throttle().burstLimit())
          .execute();
      stage
          .methodThrottles()
          .forEach(
              (key, limit) -> {
                int split = key.lastIndexOf('/');
                tx.insertInto(PLAN_METHOD_THROTTLES)
                    .set(PLAN_METHOD_THROTTLES.TENANT_ID, tenantId)
                    .set(PLAN_METHOD_THROTTLES.PLAN_ID, plan.id())
                    .set(PLAN_METHOD_THROTTLES.STAGE_ID, stage.stageId())
                    .set(
                        PLAN_METHOD_THROTTLES.RESOURCE_PATH,
                        split == 0 ? "/" : key.substring(0, split))
                    .set(PLAN_METHOD_THROTTLES.METHOD, key.substring(split + 1))
                    .set(PLAN_METHOD_THROTTLES.THROTTLE_RATE, limit.rateLimit())
                    .set(PLAN_METHOD_THROTTLES.THROTTLE_BURST, limit.burstLimit())
                    .execute();
              });
    }
  }

  @Override
  public Optional<UsagePlan> find(UUID planId) {
    return tx.selectFrom(USAGE_PLANS)
        .where(USAGE_PLANS.TENANT_ID.eq(tenantId), USAGE_PLANS.ID.eq(planId))
        .fetchOptional()
        .map(this::plan);
  }

  @Override
  public Optional<UsagePlan> lock(UUID planId) {
    return tx.selectFrom(USAGE_PLANS)
        .where(USAGE_PLANS.TENANT_ID.eq(tenantId), USAGE_PLANS.ID.eq(planId))
        .forUpdate()
        .fetchOptional()
        .map(this::plan);
  }

  @Override
  public int count() {
    return tx.fetchCount(USAGE_PLANS, USAGE_PLANS.TENANT_ID.eq(tenantId));
  }

  @Override
  public List<UsagePlan> list() {
    return tx.selectFrom(USAGE_PLANS)
        .where(USAGE_PLANS.TENANT_ID.eq(tenantId))
        .orderBy(USAGE_PLANS.CREATED_AT, USAGE_PLANS.ID)
        .fetch()
        .map(this::plan);
  }

  private UsagePlan plan(UsagePlansRecord r) {
    List<Pricing.PriceTier> tiers =
        tx.selectFrom(PLAN_PRICE_TIERS)
            .where(PLAN_PRICE_TIERS.TENANT_ID.eq(tenantId), PLAN_PRICE_TIERS.PLAN_ID.eq(r.getId()))
            .orderBy(PLAN_PRICE_TIERS.TIER_INDEX)
            .fetch(
                t ->
                    new Pricing.PriceTier(
                        t.getUpTo(), t.getUnitPriceMicros(), t.getFlatFeeCents()));
    Map<UUID, Map<String, ThrottleLimit>> methodThrottles = new LinkedHashMap<>();
    tx.selectFrom(PLAN_METHOD_THROTTLES)
        .where(
            PLAN_METHOD_THROTTLES.TENANT_ID.eq(tenantId),
            PLAN_METHOD_THROTTLES.PLAN_ID.eq(r.getId()))
        .orderBy(PLAN_METHOD_THROTTLES.RESOURCE_PATH, PLAN_METHOD_THROTTLES.METHOD)
        .forEach(
            m ->
                methodThrottles
                    .computeIfAbsent(m.getStageId(), k -> new LinkedHashMap<>())
                    .put(
                        m.getResourcePath() + "/" + m.getMethod(),
                        new ThrottleLimit(m.getThrottleRate(), m.getThrottleBurst())));
    List<PlanApiStage> stages =
        tx.select(
                PLAN_STAGES.STAGE_ID,
                PLAN_STAGES.THROTTLE_RATE,
                PLAN_STAGES.THROTTLE_BURST,
                STAGES.API_ID,
                STAGES.NAME)
            .from(PLAN_STAGES)
            .join(STAGES)
            .on(STAGES.ID.eq(PLAN_STAGES.STAGE_ID))
            .where(PLAN_STAGES.TENANT_ID.eq(tenantId), PLAN_STAGES.PLAN_ID.eq(r.getId()))
            .orderBy(STAGES.API_ID, STAGES.NAME)
            .fetch(
                s ->
                    new PlanApiStage(
                        s.value4(),
                        s.value5(),
                        s.value1(),
                        s.value2() == null ? null : new ThrottleLimit(s.value2(), s.value3()),
                        methodThrottles.getOrDefault(s.value1(), Map.of())));
    return new UsagePlan(
        r.getId(),
        r.getName(),
        r.getDescription(),
        r.getThrottleRate() == null
            ? null
            : new ThrottleLimit(r.getThrottleRate(), r.getThrottleBurst()),
        r.getQuotaLimit() == null
            ? null
            : new QuotaLimit(
                r.getQuotaLimit(), r.getQuotaOffset(), QuotaPeriod.valueOf(r.getQuotaPeriod())),
        new Pricing(
            r.getPricingModel(),
            r.getCurrency(),
            r.getFlatFeeCents(),
            r.getUnitPriceMicros(),
            r.getIncludedRequests(),
            tiers,
            r.getMessagePricePerMillionMicros(),
            r.getConnectionMinutePricePerMillionMicros()),
        r.getRequiresApproval(),
        r.getStatus(),
        stages,
        instant(r.getCreatedAt()),
        instant(r.getUpdatedAt()),
        r.getLimitScope(),
        r.getMaxConnectionsPerKey());
  }

  @Override
  public void delete(UUID planId) {
    tx.deleteFrom(USAGE_PLANS)
        .where(USAGE_PLANS.TENANT_ID.eq(tenantId), USAGE_PLANS.ID.eq(planId))
        .execute();
  }

  @Override
  public Optional<UUID> stageId(UUID apiId, String stageName) {
    return tx.select(STAGES.ID)
        .from(STAGES)
        .where(STAGES.TENANT_ID.eq(tenantId), STAGES.API_ID.eq(apiId), STAGES.NAME.eq(stageName))
        .fetchOptional(STAGES.ID);
  }

  @Override
  public Set<UUID> plansBoundTo(Collection<UUID> stageIds) {
    return new HashSet<>(
        tx.selectDistinct(PLAN_STAGES.PLAN_ID)
            .from(PLAN_STAGES)
            .where(PLAN_STAGES.TENANT_ID.eq(tenantId), PLAN_STAGES.STAGE_ID.in(stageIds))
            .fetch(PLAN_STAGES.PLAN_ID));
  }

  @Override
  public boolean hasSubscriptions(UUID planId) {
    return tx.fetchExists(
        SUBSCRIPTIONS, SUBSCRIPTIONS.TENANT_ID.eq(tenantId), SUBSCRIPTIONS.PLAN_ID.eq(planId));
  }
}
