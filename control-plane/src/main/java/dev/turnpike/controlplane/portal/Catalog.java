package dev.turnpike.controlplane.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.openapi.OpenApiExport;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.plan.Pricing;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a tenant's portal offers: the published APIs (deployed to a stage that an active plan the
 * owner did not hide is bound to), their plans with prices, and their documentation. Nothing here
 * shows how an API is implemented: the document has API Gateway's and Turnpike's extensions
 * (backend URIs among them) taken out.
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

  /** A published API; its plans only on the API's own page. */
  public record PublishedApi(
      String slug, String name, String description, List<String> stages, List<OfferedPlan> plans) {
    public PublishedApi {
      stages = List.copyOf(stages);
      plans = List.copyOf(plans);
    }
  }

  private final OpenApiExport export;

  public Catalog(OpenApiExport export) {
    this.export = export;
  }

  public PortalTenant tenant(TenantTx tx) {
    return tx.store(PortalStore.class)
        .tenant()
        .orElseThrow(() -> ApiFailure.notFound("Portal " + tx.tenantId()));
  }

  /** Published APIs whose name, slug or description contains the query, ignoring case. */
  public List<PublishedApi> search(TenantTx tx, String query) {
    String needle = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    return published(tx).stream()
        .filter(
            api ->
                needle.isEmpty()
                    || contains(api.name(), needle)
                    || contains(api.slug(), needle)
                    || contains(api.description(), needle))
        .map(
            api ->
                new PublishedApi(
                    api.slug(), api.name(), api.description(), api.stages(), List.of()))
        .toList();
  }

  public PublishedApi api(TenantTx tx, String apiSlug) {
    return published(tx).stream()
        .filter(api -> api.slug().equals(apiSlug))
        .findFirst()
        .orElseThrow(() -> ApiFailure.notFound("API " + apiSlug));
  }

  /** Every plan the portal offers, whichever API it covers. */
  public List<OfferedPlan> plans(TenantTx tx) {
    Map<UUID, OfferedPlan> byId = new java.util.LinkedHashMap<>();
    for (PublishedApi api : published(tx)) {
      api.plans().forEach(p -> byId.putIfAbsent(p.id(), p));
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

  /** The API's OpenAPI document, for developers: no implementation details. */
  public JsonNode document(TenantTx tx, String apiSlug) {
    PublishedApi published = api(tx, apiSlug);
    Api api =
        tx.store(ApiStore.class).listApis().stream()
            .filter(a -> a.slug().equals(published.slug()))
            .findFirst()
            .orElseThrow();
    JsonNode document = export.execute(tx, api.id()).deepCopy();
    stripImplementation(document);
    if (document instanceof ObjectNode root) {
      String tenant = tenant(tx).slug();
      ArrayNode servers = JsonNodeFactory.instance.arrayNode();
      for (String stage : published.stages()) {
        servers
            .addObject()
            .put("url", "/" + tenant + "/" + api.slug() + "/" + stage)
            .put("description", "Stage " + stage + " (path-style address on the gateway)");
      }
      root.set("servers", servers);
    }
    return document;
  }

  private List<PublishedApi> published(TenantTx tx) {
    Set<UUID> hidden = tx.store(PortalStore.class).hiddenPlans();
    List<UsagePlan> plans =
        tx.store(PlanStore.class).list().stream()
            .filter(p -> p.status().equals("active") && !hidden.contains(p.id()))
            .toList();
    DeploymentStore deployments = tx.store(DeploymentStore.class);
    List<Api> apis =
        tx.store(ApiStore.class).listApis().stream()
            .sorted(Comparator.comparing(Api::name, String.CASE_INSENSITIVE_ORDER))
            .toList();
    List<PublishedApi> result = new ArrayList<>();
    for (Api api : apis) {
      Map<UUID, String> deployed =
          deployments.listStages(api.id()).stream()
              .filter(s -> s.deploymentId() != null)
              .collect(Collectors.toMap(Stage::id, Stage::name));
      List<UsagePlan> bound =
          plans.stream()
              .filter(p -> p.apiStages().stream().anyMatch(b -> deployed.containsKey(b.stageId())))
              .toList();
      if (bound.isEmpty()) {
        continue;
      }
      List<String> stages = deployed.values().stream().sorted().toList();
      result.add(
          new PublishedApi(
              api.slug(),
              api.name(),
              api.description(),
              stages,
              bound.stream().map(p -> offered(p, apis)).toList()));
    }
    return result;
  }

  private static OfferedPlan offered(UsagePlan plan, List<Api> apis) {
    Map<UUID, String> slugs = apis.stream().collect(Collectors.toMap(Api::id, Api::slug));
    List<String> covered =
        plan.apiStages().stream()
            .map(b -> slugs.getOrDefault(b.apiId(), "?") + "/" + b.stage())
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
    return !pricing.model().equals("free");
  }

  private static boolean contains(String text, String needle) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
  }

  /** Removes every {@code x-amazon-apigateway-*} and {@code x-turnpike*} member, at any depth. */
  static void stripImplementation(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<String> names = object.fieldNames();
      List<String> drop = new ArrayList<>();
      while (names.hasNext()) {
        String name = names.next();
        if (name.startsWith("x-amazon-apigateway") || name.startsWith("x-turnpike")) {
          drop.add(name);
        }
      }
      object.remove(drop);
      object.elements().forEachRemaining(Catalog::stripImplementation);
    } else if (node instanceof ArrayNode array) {
      array.elements().forEachRemaining(Catalog::stripImplementation);
    }
  }
}
