package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.openapi.OpenApiExport;
import dev.turnpike.controlplane.openapi.web.OpenApiEndpoints;
import dev.turnpike.controlplane.usage.UsageReports;
import java.util.List;

/** Every feature's endpoints, in mounting order. */
public final class FeatureEndpoints {
  private FeatureEndpoints() {}

  public static List<Endpoints> all(Http http, UseCases u) {
    return List.of(
        new TenantEndpoints(http, u.tenants(), u.members(), u.directory(), u.auditLog()),
        new ApiEndpoints(http, u.apis(), u.integrations(), u.routes()),
        new DeploymentEndpoints(http, u.stages(), u.deployments()),
        new PlanEndpoints(http, u.plans()),
        new AppEndpoints(http, u.apps(), u.subscriptions(), u.keys(), u.keyImport()),
        new UsageEndpoints(http, new UsageReports()),
        // No gateway base URL is configured yet, so exports carry a relative server URL.
        new OpenApiEndpoints(http, u.openApiImport(), new OpenApiExport(null), u.limits()));
  }
}
