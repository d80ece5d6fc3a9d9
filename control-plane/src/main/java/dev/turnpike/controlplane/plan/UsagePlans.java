package dev.turnpike.controlplane.plan;

import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.controlplane.deployment.Stages;
import dev.turnpike.controlplane.deployment.ThrottleInput;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Use cases of usage plans. Every change publishes the plan's gateway record in the same
 * transaction; a delete publishes its tombstone.
 */
public final class UsagePlans {
  private static final Set<String> MODELS =
      Set.of("free", "flat", "per_request", "graduated", "volume");
  private static final Pattern CURRENCY = Pattern.compile("^[a-z]{3}$");

  public record QuotaInput(Long limit, Long offset, String period) {}

  public record TierInput(Long upTo, Long unitPriceMicros, Long flatFeeCents) {}

  public record PricingInput(
      String model,
      String currency,
      Long flatFeeCents,
      Long unitPriceMicros,
      Long includedRequests,
      List<TierInput> tiers,
      Long messagePricePerMillionMicros,
      Long connectionMinutePricePerMillionMicros) {}

  public record ApiStageInput(
      UUID apiId,
      String stage,
      ThrottleInput throttle,
      Map<String, ThrottleInput> methodThrottles) {}

  public record PlanInput(
      String name,
      String description,
      ThrottleInput throttle,
      QuotaInput quota,
      PricingInput pricing,
      Boolean requiresApproval,
      String status,
      List<ApiStageInput> apiStages,
      String limitScope,
      Integer maxConnectionsPerKey) {}

  /** The largest per-key WebSocket connection limit a plan may set. */
  public static final int MAX_CONNECTIONS_PER_KEY = 1_000_000;

  /** What a plan's throttle and quota may count. */
  public static final Set<String> LIMIT_SCOPES = Set.of("key", "subscription");

  private final PlanPublisher publisher;
  private final OwnerLimits limits;
  private final TxStore<PlanStore> planStore;

  public UsagePlans(TxStore<PlanStore> planStore, PlanPublisher publisher, OwnerLimits limits) {
    this.planStore = planStore;
    this.publisher = publisher;
    this.limits = limits;
  }

  public UsagePlan create(TenantTx tx, PlanInput in) {
    UsagePlan plan = toPlan(tx, UUID.randomUUID(), in, tx.now());
    limits.check(Limit.USAGE_PLANS_PER_TENANT, planStore.in(tx).count() + 1L, null);
    planStore.in(tx).insert(plan);
    publisher.publish(tx, plan);
    tx.audit().record("plan.create", "plan", plan.id(), null, plan);
    return plan;
  }

  public List<UsagePlan> list(TenantTx tx) {
    return planStore.in(tx).list();
  }

  public UsagePlan get(TenantTx tx, UUID planId) {
    return planStore.in(tx).find(planId).orElseThrow(() -> notFound(planId));
  }

  public UsagePlan update(TenantTx tx, UUID planId, PlanInput in) {
    get(tx, planId); // The resource must exist before its input is judged: 404 comes before 400.
    PlanStore store = planStore.in(tx);
    UsagePlan before = store.lock(planId).orElseThrow(() -> notFound(planId));
    UsagePlan after = toPlan(tx, planId, in, before.createdAt());
    if (!after.pricing().equals(before.pricing()) && store.hasSubscriptions(planId)) {
      // Invoices of the running period and the plan's Stripe prices already bill subscribers
      // at these prices; changing them under them would bill differently from what they bought.
      throw ApiFailure.conflict(
          "The plan has subscriptions, so its prices cannot change; create a plan with the new"
              + " prices and archive this one (status \"archived\") to stop new subscriptions");
    }
    store.update(after);
    publisher.publish(tx, after);
    tx.audit().record("plan.update", "plan", planId, before, after);
    return after;
  }

  public void delete(TenantTx tx, UUID planId) {
    PlanStore store = planStore.in(tx);
    UsagePlan before = store.lock(planId).orElseThrow(() -> notFound(planId));
    if (store.hasSubscriptions(planId)) {
      throw ApiFailure.conflict(
          "The plan has subscriptions; archive it (status \"archived\") to stop new ones instead");
    }
    store.delete(planId);
    tx.config().planRemoved(tx.tenantId().toString(), planId.toString());
    tx.audit().record("plan.delete", "plan", planId, before, null);
  }

  public static ApiFailure notFound(UUID planId) {
    return ApiFailure.notFound("Usage plan " + planId);
  }

  private UsagePlan toPlan(TenantTx tx, UUID id, PlanInput in, java.time.Instant createdAt) {
    Validation v = new Validation();
    if (v.required("/name", in.name())) {
      v.length("/name", in.name(), 1, 200);
    }
    v.length("/description", in.description(), 0, 4000);
    ThrottleInput.validate(v, "/throttle", in.throttle());
    QuotaLimit quota = quota(v, in.quota());
    Pricing pricing = pricing(v, in.pricing());
    v.check(
        "/status",
        in.status(),
        s -> s.equals("active") || s.equals("archived"),
        "must be active or archived");
    v.check(
        "/limitScope",
        in.limitScope(),
        LIMIT_SCOPES::contains,
        "must be key (each key is throttled and counted on its own) or subscription (all keys of"
            + " an app's subscription together)");
    v.range("/maxConnectionsPerKey", in.maxConnectionsPerKey(), 1, MAX_CONNECTIONS_PER_KEY);
    List<PlanApiStage> stages = new ArrayList<>();
    List<ApiStageInput> inputs = in.apiStages() == null ? List.of() : in.apiStages();
    Set<UUID> seen = new HashSet<>();
    PlanStore store = planStore.in(tx);
    for (int i = 0; i < inputs.size(); i++) {
      String pointer = "/apiStages/" + i;
      ApiStageInput stage = inputs.get(i);
      if (stage == null) {
        v.add(pointer, "must be an object");
        continue;
      }
      boolean named =
          v.required(pointer + "/apiId", stage.apiId())
              & v.required(pointer + "/stage", stage.stage());
      ThrottleInput.validate(v, pointer + "/throttle", stage.throttle());
      if (stage.methodThrottles() != null) {
        stage
            .methodThrottles()
            .forEach(
                (key, limit) -> {
                  String keyPointer =
                      pointer + "/methodThrottles/" + key.replace("~", "~0").replace("/", "~1");
                  String problem = Stages.methodKeyProblem(key);
                  if (problem != null) {
                    v.add(keyPointer, problem);
                  } else if (limit == null) {
                    v.add(keyPointer, "must be an object with rateLimit and burstLimit");
                  } else {
                    ThrottleInput.validate(v, keyPointer, limit);
                  }
                });
      }
      if (!named) {
        continue;
      }
      var stageId = store.stageId(stage.apiId(), stage.stage());
      if (stageId.isEmpty()) {
        v.add(pointer + "/stage", "is not a stage of API " + stage.apiId());
      } else if (!seen.add(stageId.get())) {
        v.add(pointer, "binds the same API stage twice");
      } else if (v.ok()) {
        stages.add(
            new PlanApiStage(
                stage.apiId(),
                stage.stage(),
                stageId.get(),
                ThrottleInput.limit(stage.throttle()),
                ThrottleInput.limits(stage.methodThrottles())));
      }
    }
    v.throwIfInvalid();
    return new UsagePlan(
        id,
        in.name(),
        in.description(),
        ThrottleInput.limit(in.throttle()),
        quota,
        pricing,
        Boolean.TRUE.equals(in.requiresApproval()),
        in.status() == null ? "active" : in.status(),
        stages,
        createdAt,
        tx.now(),
        in.limitScope() == null ? "key" : in.limitScope(),
        in.maxConnectionsPerKey());
  }

  private static QuotaLimit quota(Validation v, QuotaInput in) {
    if (in == null) {
      return null;
    }
    boolean ok = v.required("/quota/limit", in.limit()) & v.required("/quota/period", in.period());
    v.atLeast("/quota/limit", in.limit(), 0);
    v.atLeast("/quota/offset", in.offset(), 0);
    v.check(
        "/quota/period",
        in.period(),
        p -> Set.of("DAY", "WEEK", "MONTH").contains(p),
        "must be DAY, WEEK or MONTH");
    long offset = in.offset() == null ? 0 : in.offset();
    if (ok && in.limit() >= 0 && offset > in.limit()) {
      v.add("/quota/offset", "must not exceed the limit");
    }
    if (!v.ok()) {
      return null;
    }
    return new QuotaLimit(in.limit(), offset, QuotaPeriod.valueOf(in.period()));
  }

  private static Pricing pricing(Validation v, PricingInput in) {
    if (in == null) {
      return Pricing.free();
    }
    String model = in.model() == null ? "free" : in.model();
    v.check(
        "/pricing/model",
        model,
        MODELS::contains,
        "must be one of free, flat, per_request, graduated, volume");
    v.matches(
        "/pricing/currency",
        in.currency(),
        CURRENCY,
        "must be a three-letter lower-case ISO 4217 code, e.g. usd");
    v.atLeast("/pricing/flatFeeCents", in.flatFeeCents(), 0);
    v.atLeast("/pricing/unitPriceMicros", in.unitPriceMicros(), 0);
    v.atLeast("/pricing/includedRequests", in.includedRequests(), 0);
    List<TierInput> tiers = in.tiers() == null ? List.of() : in.tiers();
    boolean tiered = model.equals("graduated") || model.equals("volume");
    if (tiered && tiers.isEmpty()) {
      v.add("/pricing/tiers", "is required for " + model + " pricing");
    }
    if (!tiered && !tiers.isEmpty()) {
      v.add("/pricing/tiers", "is only for graduated or volume pricing");
    }
    List<Pricing.PriceTier> priced = new ArrayList<>();
    long previous = 0;
    for (int i = 0; i < tiers.size(); i++) {
      String pointer = "/pricing/tiers/" + i;
      TierInput tier = tiers.get(i);
      if (tier == null) {
        v.add(pointer, "must be an object");
        continue;
      }
      boolean last = i == tiers.size() - 1;
      if (last && tier.upTo() != null) {
        v.add(pointer + "/upTo", "must be absent on the last tier, which has no upper bound");
      } else if (!last && tier.upTo() == null) {
        v.add(pointer + "/upTo", "is required on every tier but the last");
      } else if (tier.upTo() != null && tier.upTo() <= previous) {
        v.add(pointer + "/upTo", "must be greater than the previous tier's");
      }
      if (tier.upTo() != null) {
        previous = tier.upTo();
      }
      v.required(pointer + "/unitPriceMicros", tier.unitPriceMicros());
      v.atLeast(pointer + "/unitPriceMicros", tier.unitPriceMicros(), 0);
      v.atLeast(pointer + "/flatFeeCents", tier.flatFeeCents(), 0);
      priced.add(
          new Pricing.PriceTier(
              tier.upTo(),
              tier.unitPriceMicros() == null ? 0 : tier.unitPriceMicros(),
              tier.flatFeeCents() == null ? 0 : tier.flatFeeCents()));
    }
    long messages =
        webSocketPrice(v, model, "messagePricePerMillionMicros", in.messagePricePerMillionMicros());
    long minutes =
        webSocketPrice(
            v,
            model,
            "connectionMinutePricePerMillionMicros",
            in.connectionMinutePricePerMillionMicros());
    return new Pricing(
        model,
        in.currency() == null ? "usd" : in.currency(),
        in.flatFeeCents() == null ? 0 : in.flatFeeCents(),
        in.unitPriceMicros() == null ? 0 : in.unitPriceMicros(),
        in.includedRequests() == null ? 0 : in.includedRequests(),
        priced,
        messages,
        minutes);
  }

  /** A WebSocket price per million: not negative, and none on a free plan (which charges none). */
  private static long webSocketPrice(Validation v, String model, String field, Long price) {
    String pointer = "/pricing/" + field;
    v.atLeast(pointer, price, 0);
    if (price != null && price > 0 && model.equals("free")) {
      v.add(pointer, "a free plan charges nothing; choose another model to price WebSocket usage");
    }
    return price == null ? 0 : price;
  }
}
