package dev.turnpike.controlplane.portal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.openapi.OpenApiExport;
import dev.turnpike.controlplane.plan.PlanApiStage;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.plan.Pricing;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a tenant's portal offers: the published APIs, their plans with prices, and their
 * documentation. An API is published on the stages that an active plan the owner did not hide sells
 * and that have a deployment; an API with no such stage (never deployed, or sold on no deployed
 * stage) is not in the catalog at all, since developers could not call it. The documentation of a
 * stage is its deployment's, as API Gateway exports a stage: edits the owner has not deployed stay
 * invisible. Nothing here shows how an API is implemented: documents have API Gateway's and
 * Turnpike's extensions (backend URIs among them) taken out.
 */
public final class Catalog {
  /** A plan as developers see it. */
  public record OfferedPlan(
      UUID id,
      String name,
      String description,
      ThrottleLimit throttle,
      QuotaLimit quota,
      Pricing pricing,
      boolean requiresApproval,
      boolean paid,
      List<String> apis) {
    public OfferedPlan {
      apis = List.copyOf(apis);
    }
  }

  /**
   * A published API; its plans and deployments only on the API's own page.
   *
   * @param stages the stages developers can call, by name
   * @param deployments what each of those stages serves, in the same order
   */
  public record PublishedApi(
      String slug,
      String name,
      String description,
      List<String> stages,
      List<OfferedPlan> plans,
      List<StageDeployment> deployments) {
    public PublishedApi {
      stages = List.copyOf(stages);
      plans = List.copyOf(plans);
      deployments = List.copyOf(deployments);
    }
  }

  /** What one stage serves: the routes of its deployment. */
  public record StageDeployment(
      String stage, UUID deploymentId, Instant deploymentCreatedAt, List<DeployedRoute> routes) {
    public StageDeployment {
      routes = List.copyOf(routes);
    }
  }

  /** One callable method and resource path, in the deployment's order (by path, then method). */
  public record DeployedRoute(
      String method, String path, boolean apiKeyRequired, Authentication authentication) {}

  /**
   * How a caller proves who it is to a route beyond an API key, for developers: never the
   * authorizer's implementation (its function or endpoint), only what to send.
   *
   * @param type {@code jwt} (a bearer token from {@code issuer}) or {@code token} / {@code request}
   *     (a custom authorizer reading {@code identitySources})
   * @param issuer the issuer a JWT must come from; null otherwise
   * @param audience the audiences a JWT may be for; empty otherwise
   * @param scopes a JWT must carry one of these; empty for any
   * @param identitySources where the credentials are read, e.g. {@code
   *     $request.header.Authorization}
   */
  public record Authentication(
      String type,
      String issuer,
      List<String> audience,
      List<String> scopes,
      List<String> identitySources) {}

  /** An API with the stages it is sold on that have a deployment, and the plans selling them. */
  private record Listing(Api api, List<Stage> stages, List<UsagePlan> plans) {}

  private final DeployedReference reference;
  private final TxStore<PortalStore> portalStore;
  private final TxStore<PlanStore> planStore;
  private final TxStore<DeploymentStore> deploymentStore;
  private final TxStore<ApiStore> apiStore;

  public Catalog(
      TxStore<PortalStore> portalStore,
      TxStore<PlanStore> planStore,
      TxStore<DeploymentStore> deploymentStore,
      TxStore<ApiStore> apiStore,
      OpenApiExport export) {
    this.portalStore = portalStore;
    this.planStore = planStore;
    this.deploymentStore = deploymentStore;
    this.apiStore = apiStore;
    this.reference = new DeployedReference(deploymentStore, export);
  }

  public PortalTenant tenant(TenantTx tx) {
    return portalStore
        .in(tx)
        .tenant()
        .orElseThrow(() -> ApiFailure.notFound("Portal " + tx.tenantId()));
  }

  /** Published APIs whose name, slug or description contains the query, ignoring case. */
  public List<PublishedApi> search(TenantTx tx, String query) {
    String needle = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    return listings(tx).stream()
        .filter(
            l ->
                needle.isEmpty()
                    || contains(l.api().name(), needle)
                    || contains(l.api().slug(), needle)
                    || contains(l.api().description(), needle))
        .map(l -> published(l, List.of(), List.of()))
        .toList();
  }

  /** The API's page: its stages with what each serves, and its plans. */
  public PublishedApi api(TenantTx tx, String apiSlug) {
    List<Listing> listings = listings(tx);
    Listing listing = listing(listings, apiSlug);
    Map<UUID, String> callable = callable(listings);
    return published(
        listing,
        listing.plans().stream().map(p -> offered(p, callable)).toList(),
        reference.summaries(tx, listing.api(), listing.stages()));
  }

  /** Every plan the portal offers, whichever API it covers. */
  public List<OfferedPlan> plans(TenantTx tx) {
    List<Listing> listings = listings(tx);
    Map<UUID, String> callable = callable(listings);
    Map<UUID, OfferedPlan> byId = new LinkedHashMap<>();
    for (Listing listing : listings) {
      listing.plans().forEach(p -> byId.putIfAbsent(p.id(), offered(p, callable)));
    }
    return List.copyOf(byId.values());
  }

  /** The plan, if the portal offers it. */
  public OfferedPlan offeredPlan(TenantTx tx, UUID planId) {
    return plans(tx).stream()
        .filter(p -> p.id().equals(planId))
        .findFirst()
        .orElseThrow(() -> ApiFailure.invalid("/planId", "is not a plan this portal offers"));
  }

  /**
   * The OpenAPI document of what a stage serves, for developers: no implementation details.
   *
   * @param stageName one of the API's published stages; null for the first of them
   */
  public JsonNode document(TenantTx tx, String apiSlug, String stageName) {
    Listing listing = listing(listings(tx), apiSlug);
    Stage stage =
        stageName == null
            ? listing.stages().getFirst()
            : listing.stages().stream()
                .filter(s -> s.name().equals(stageName))
                .findFirst()
                .orElseThrow(
                    () -> ApiFailure.notFound("Stage " + stageName + " of API " + apiSlug));
    return reference.document(tx, tenant(tx).slug(), listing.api(), stage);
  }

  private static Listing listing(List<Listing> listings, String apiSlug) {
    return listings.stream()
        .filter(l -> l.api().slug().equals(apiSlug))
        .findFirst()
        .orElseThrow(() -> ApiFailure.notFound("API " + apiSlug));
  }

  private static PublishedApi published(
      Listing listing, List<OfferedPlan> plans, List<StageDeployment> deployments) {
    Api api = listing.api();
    return new PublishedApi(
        api.slug(),
        api.name(),
        api.description(),
        listing.stages().stream().map(Stage::name).toList(),
        plans,
        deployments);
  }

  private List<Listing> listings(TenantTx tx) {
    Set<UUID> hidden = portalStore.in(tx).hiddenPlans();
    List<UsagePlan> plans =
        planStore.in(tx).list().stream()
            .filter(p -> p.status().equals("active") && !hidden.contains(p.id()))
            .toList();
    DeploymentStore deployments = deploymentStore.in(tx);
    List<Api> apis =
        apiStore.in(tx).listApis().stream()
            .sorted(Comparator.comparing(Api::name, String.CASE_INSENSITIVE_ORDER))
            .toList();
    Set<UUID> sold =
        plans.stream()
            .flatMap(p -> p.apiStages().stream())
            .map(PlanApiStage::stageId)
            .collect(Collectors.toSet());
    List<Listing> result = new ArrayList<>();
    for (Api api : apis) {
      List<Stage> stages =
          deployments.listStages(api.id()).stream()
              .filter(s -> s.deploymentId() != null && sold.contains(s.id()))
              .sorted(Comparator.comparing(Stage::name))
              .toList();
      if (stages.isEmpty()) {
        continue;
      }
      Set<UUID> stageIds = stages.stream().map(Stage::id).collect(Collectors.toSet());
      List<UsagePlan> bound =
          plans.stream()
              .filter(p -> p.apiStages().stream().anyMatch(b -> stageIds.contains(b.stageId())))
              .toList();
      result.add(new Listing(api, stages, bound));
    }
    return result;
  }

  /** Every published stage as developers name it, {@code apiSlug/stage}, by stage id. */
  private static Map<UUID, String> callable(List<Listing> listings) {
    Map<UUID, String> names = new LinkedHashMap<>();
    for (Listing listing : listings) {
      listing.stages().forEach(s -> names.put(s.id(), listing.api().slug() + "/" + s.name()));
    }
    return names;
  }

  /** The plan, covering only what developers can call: its published stages. */
  private static OfferedPlan offered(UsagePlan plan, Map<UUID, String> callable) {
    List<String> covered =
        plan.apiStages().stream()
            .map(PlanApiStage::stageId)
            .filter(callable::containsKey)
            .map(callable::get)
            .distinct()
            .toList();
    return new OfferedPlan(
        plan.id(),
        plan.name(),
        plan.description(),
        plan.throttle(),
        plan.quota(),
        plan.pricing(),
        plan.requiresApproval(),
        isPaid(plan.pricing()),
        covered);
  }

  static boolean isPaid(Pricing pricing) {
    return Pricing.isPaidModel(pricing.model());
  }

  private static boolean contains(String text, String needle) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
  }
}
