package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.alarm.Alarms;
import dev.turnpike.controlplane.api.Apis;
import dev.turnpike.controlplane.api.Integrations;
import dev.turnpike.controlplane.api.Routes;
import dev.turnpike.controlplane.apikey.ApiKeyImport;
import dev.turnpike.controlplane.apikey.ApiKeys;
import dev.turnpike.controlplane.app.Apps;
import dev.turnpike.controlplane.app.Subscriptions;
import dev.turnpike.controlplane.audit.AuditLog;
import dev.turnpike.controlplane.authorizer.Authorizers;
import dev.turnpike.controlplane.deployment.Deployments;
import dev.turnpike.controlplane.deployment.StageClientCertificates;
import dev.turnpike.controlplane.deployment.Stages;
import dev.turnpike.controlplane.domain.Domains;
import dev.turnpike.controlplane.function.Functions;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.openapi.OpenApiExport;
import dev.turnpike.controlplane.openapi.OpenApiImport;
import dev.turnpike.controlplane.plan.UsagePlans;
import dev.turnpike.controlplane.tenant.Members;
import dev.turnpike.controlplane.tenant.TenantCaps;
import dev.turnpike.controlplane.tenant.TenantDirectory;
import dev.turnpike.controlplane.tenant.Tenants;
import dev.turnpike.controlplane.upstream.Upstreams;
import dev.turnpike.controlplane.usage.UsageReports;
import dev.turnpike.controlplane.websocket.WebSocketApis;

/** Every use case the management API exposes. */
public record UseCases(
    Tenants tenants,
    Members members,
    TenantDirectory directory,
    AuditLog auditLog,
    Apis apis,
    Integrations integrations,
    Routes routes,
    Stages stages,
    Deployments deployments,
    UsagePlans plans,
    Apps apps,
    Subscriptions subscriptions,
    ApiKeys keys,
    ApiKeyImport keyImport,
    TenantCaps caps,
    OpenApiImport openApiImport,
    OpenApiExport openApiExport,
    UsageReports usageReports,
    OwnerLimits limits,
    Functions functions,
    Authorizers authorizers,
    Domains domains,
    StageClientCertificates stageClientCertificates,
    Upstreams upstreams,
    WebSocketApis webSocketApis,
    Alarms alarms) {}
