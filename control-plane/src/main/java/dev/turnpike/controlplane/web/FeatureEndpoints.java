package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.api.TestInvocation;
import dev.turnpike.controlplane.openapi.web.OpenApiEndpoints;
import dev.turnpike.mapping.TemplateBudget;
import java.util.List;

/** Every feature's endpoints, in mounting order. */
public final class FeatureEndpoints {
  private FeatureEndpoints() {}

  public static List<Endpoints> all(Http http, UseCases u) {
    return List.of(
        new TenantEndpoints(http, u.tenants(), u.members(), u.directory(), u.auditLog()),
        new ApiEndpoints(
            http,
            u.apis(),
            u.integrations(),
            u.routes(),
            new TestInvocation(TemplateBudget.DEFAULT)),
        new DeploymentEndpoints(http, u.stages(), u.deployments()),
        new StageCertificateEndpoints(http, u.stageClientCertificates()),
        new PlanEndpoints(http, u.plans()),
        new AppEndpoints(http, u.apps(), u.subscriptions(), u.keys(), u.keyImport()),
        new UsageEndpoints(http, u.usageReports()),
        new OpenApiEndpoints(http, u.openApiImport(), u.openApiExport(), u.limits()));
  }
}
