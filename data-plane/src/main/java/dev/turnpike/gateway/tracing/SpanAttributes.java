package dev.turnpike.gateway.tracing;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.vertx.core.http.HttpServerRequest;

/**
 * The attributes of the gateway's spans: OpenTelemetry's HTTP names where there is one, {@code
 * turnpike.*} for what API Gateway's X-Ray segments carry (tenant, API, stage, route key). Never a
 * whole API key: its public prefix only.
 */
public final class SpanAttributes {
  public static final AttributeKey<String> HTTP_METHOD =
      AttributeKey.stringKey("http.request.method");
  public static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  public static final AttributeKey<Long> HTTP_STATUS =
      AttributeKey.longKey("http.response.status_code");
  public static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  public static final AttributeKey<String> TENANT = AttributeKey.stringKey("turnpike.tenant");
  public static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey("turnpike.tenant_id");
  public static final AttributeKey<String> API = AttributeKey.stringKey("turnpike.api");
  public static final AttributeKey<String> API_ID = AttributeKey.stringKey("turnpike.api_id");
  public static final AttributeKey<String> STAGE = AttributeKey.stringKey("turnpike.stage");
  public static final AttributeKey<String> DEPLOYMENT_ID =
      AttributeKey.stringKey("turnpike.deployment_id");
  public static final AttributeKey<String> ROUTE_KEY = AttributeKey.stringKey("turnpike.route_key");
  public static final AttributeKey<String> REQUEST_ID =
      AttributeKey.stringKey("turnpike.request_id");
  public static final AttributeKey<String> KEY_PREFIX =
      AttributeKey.stringKey("turnpike.api_key.prefix");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("turnpike.outcome");
  public static final AttributeKey<String> CACHE_STATUS =
      AttributeKey.stringKey("turnpike.cache.status");
  public static final AttributeKey<String> PRINCIPAL_ID =
      AttributeKey.stringKey("turnpike.principal_id");

  private SpanAttributes() {}

  static void stage(SpanBuilder span, HttpServerRequest request, DeploymentSnapshot stage) {
    span.setAttribute(HTTP_METHOD, request.method().name())
        .setAttribute(URL_PATH, request.path())
        .setAttribute(TENANT, stage.tenantSlug())
        .setAttribute(TENANT_ID, stage.tenantId())
        .setAttribute(API, stage.apiSlug())
        .setAttribute(API_ID, stage.apiId())
        .setAttribute(STAGE, stage.stage())
        .setAttribute(DEPLOYMENT_ID, stage.deploymentId());
  }
}
