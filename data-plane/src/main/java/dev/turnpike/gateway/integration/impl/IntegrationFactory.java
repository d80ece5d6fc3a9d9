package dev.turnpike.gateway.integration.impl;

import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.gateway.function.FunctionEndpoint;
import dev.turnpike.gateway.function.FunctionIntegration;
import dev.turnpike.gateway.function.FunctionRoute;
import dev.turnpike.gateway.function.FunctionTemplateIntegration;
import dev.turnpike.gateway.integration.BinaryMediaTypes;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.integration.ParameterMapping;
import dev.turnpike.gateway.integration.UpstreamClients;
import dev.turnpike.gateway.integration.UriTemplate;
import dev.turnpike.gateway.template.IntegrationResponses;
import dev.turnpike.gateway.template.RequestMapping;
import dev.turnpike.gateway.template.RequestTemplates;
import dev.turnpike.gateway.template.ResponseMapping;
import dev.turnpike.gateway.template.TemplateRenderer;
import dev.turnpike.gateway.upstream.StageUpstreams;
import dev.turnpike.gateway.upstream.UpstreamPool;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;
import java.util.Map;

/** Builds a route's integration from its config, once per deployment. */
public final class IntegrationFactory {
  /** API Gateway's limits on {@code timeoutInMillis}. */
  static final int MIN_TIMEOUT_MILLIS = 50;

  static final int MAX_TIMEOUT_MILLIS = 29_000;

  /** Template workers a factory made without being given a pool has. */
  static final int DEFAULT_TEMPLATE_THREADS = 4;

  private final UpstreamClients upstreams;
  private final EgressGuard egress;
  private final TemplateRenderer renderer;

  /**
   * @param renderer where the integrations' templates render (a bounded worker pool)
   */
  public IntegrationFactory(
      UpstreamClients upstreams, EgressGuard egress, TemplateRenderer renderer) {
    this.upstreams = upstreams;
    this.egress = egress;
    this.renderer = renderer;
  }

  /** A factory whose templates render on the node's shared template pool of default size. */
  public IntegrationFactory(UpstreamClients upstreams, EgressGuard egress) {
    this(upstreams, egress, TemplateRenderer.pool(upstreams.vertx(), DEFAULT_TEMPLATE_THREADS));
  }

  /** The node's per-tenant clients, which upstream pools send through too. */
  public UpstreamClients clients() {
    return upstreams;
  }

  /** The node's egress policy, which every upstream target passes too. */
  public EgressGuard egress() {
    return egress;
  }

  /** Where templates render: gateway responses' templates use it too. */
  public TemplateRenderer renderer() {
    return renderer;
  }

  /**
   * @param route what a function's event tells about the route (for {@code aws_proxy}) and the
   *     API's binary media types (for content handling)
   * @throws IllegalArgumentException with a message an owner can act on, for a config the gateway
   *     cannot serve
   */
  public Integration build(IntegrationOwner owner, IntegrationConfig config, FunctionRoute route) {
    return build(owner, config, route, StageUpstreams.NONE);
  }

  /**
   * An integration that may send to one of its stage's {@code upstreams}.
   *
   * @throws IllegalArgumentException with a message an owner can act on, for a config the gateway
   *     cannot serve (among them, an integration naming an upstream its stage lacks)
   */
  public Integration build(
      IntegrationOwner owner,
      IntegrationConfig config,
      FunctionRoute route,
      StageUpstreams upstreams) {
    if (config == null) {
      throw new IllegalArgumentException("the route has no integration");
    }
    return switch (config.type()) {
      case MOCK -> mock(config, route);
      case HTTP_PROXY -> new HttpProxyIntegration(backend(owner, config, upstreams));
      case HTTP -> http(owner, config, route, upstreams);
      case AWS_PROXY -> function(owner, config, route);
      case AWS -> awsFunction(owner, config, route);
      case UNKNOWN -> throw new IllegalArgumentException("unsupported integration type");
    };
  }

  /**
   * A mock with integration responses answers through them, its request template choosing one; one
   * without them answers its fixed response.
   */
  private Integration mock(IntegrationConfig config, FunctionRoute route) {
    if (config.responses().isEmpty()) {
      return new MockIntegration(config.mock());
    }
    BinaryMediaTypes binary = new BinaryMediaTypes(route.binaryMediaTypes());
    return new TemplatedMockIntegration(
        requestMapping(config, binary),
        IntegrationResponses.compile(config.responses()),
        new ResponseMapping(renderer, binary));
  }

  /** Streams both ways unless templates, integration responses or content handling map a body. */
  private Integration http(
      IntegrationOwner owner,
      IntegrationConfig config,
      FunctionRoute route,
      StageUpstreams upstreams) {
    BinaryMediaTypes binary = new BinaryMediaTypes(route.binaryMediaTypes());
    RequestMapping requestMapping = requestMapping(config, binary);
    IntegrationResponses responses = IntegrationResponses.compile(config.responses());
    Backend backend = backend(owner, config, upstreams);
    if (requestMapping.isIdentity() && responses.isEmpty()) {
      return new HttpIntegration(backend);
    }
    return new MappedHttpIntegration(
        backend, requestMapping, responses, new ResponseMapping(renderer, binary));
  }

  private RequestMapping requestMapping(IntegrationConfig config, BinaryMediaTypes binary) {
    return new RequestMapping(
        RequestTemplates.compile(config.requestTemplates(), config.passthrough()),
        config.contentHandling(),
        binary,
        renderer);
  }

  private Backend backend(
      IntegrationOwner owner, IntegrationConfig config, StageUpstreams stageUpstreams) {
    BackendTls tls = config.tls();
    String upstreamName = UpstreamConfig.nameIn(config.uri());
    if (upstreamName != null) {
      UpstreamPool pool = stageUpstreams.pool(upstreamName);
      if (pool == null) {
        throw new IllegalArgumentException(
            "the integration names upstream " + upstreamName + ", which the deployment lacks");
      }
      // Every https target of the upstream gets the integration's TLS options.
      return Backend.toUpstream(
          upstreams.forTenant(owner.tenantId()),
          egress,
          owner,
          UriTemplate.parse(config.uri()),
          method(config.httpMethod()),
          ParameterMapping.parse(config.requestParameters()),
          timeout(config.connectTimeoutMillis(), 10_000),
          timeout(config.timeoutMillis(), MAX_TIMEOUT_MILLIS),
          upstreams.tlsOptions(owner.tenantId(), tls),
          serverNameToVerify(tls),
          pool);
    }
    return Backend.of(
        upstreams.forTenant(owner.tenantId()),
        egress,
        owner,
        uri(config),
        method(config.httpMethod()),
        ParameterMapping.parse(config.requestParameters()),
        timeout(config.connectTimeoutMillis(), 10_000),
        timeout(config.timeoutMillis(), MAX_TIMEOUT_MILLIS),
        upstreams.tlsOptions(owner.tenantId(), tls),
        serverNameToVerify(tls));
  }

  /** Meaningless when nothing is verified. */
  private static String serverNameToVerify(BackendTls tls) {
    if (tls == null
        || tls.insecureSkipVerification()
        || tls.serverNameToVerify() == null
        || tls.serverNameToVerify().isBlank()) {
      return null;
    }
    return tls.serverNameToVerify().trim();
  }

  /**
   * A function's endpoint, admitted by the egress policy exactly as an HTTP backend at the same URL
   * would be. It waits the function's own timeout, capped at the integration's.
   */
  private Integration function(
      IntegrationOwner owner, IntegrationConfig config, FunctionRoute route) {
    FunctionTarget target = config.function();
    if (target == null) {
      throw new IllegalArgumentException("an aws_proxy integration needs a function");
    }
    return new FunctionIntegration(target, endpoint(owner, config, target), route);
  }

  /**
   * A Lambda function behind API Gateway's {@code aws} (non-proxy) integration: templates make its
   * payload and shape its answer. Other AWS services have no target here; the control plane refuses
   * them at import, and a record naming none is refused here.
   */
  private Integration awsFunction(
      IntegrationOwner owner, IntegrationConfig config, FunctionRoute route) {
    FunctionTarget target = config.function();
    if (target == null) {
      throw new IllegalArgumentException(
          "an aws integration is served only for a Lambda function, and this one names none");
    }
    BinaryMediaTypes binary = new BinaryMediaTypes(route.binaryMediaTypes());
    return new FunctionTemplateIntegration(
        target.name(),
        endpoint(owner, config, target),
        requestMapping(config, binary),
        IntegrationResponses.compile(config.responses()),
        new ResponseMapping(renderer, binary));
  }

  /**
   * Where a WebSocket route's integration sends each event: a function's Invoke API for {@code
   * aws_proxy}, or for {@code http} / {@code http_proxy} a literal URL the message is POSTed to
   * (its answer read up to {@code maxAnswerBytes}); both admitted by the egress policy as any
   * backend.
   *
   * @throws IllegalArgumentException for another type, or a URL that is not a literal http(s) one
   */
  public FunctionEndpoint messageEndpoint(
      IntegrationOwner owner, IntegrationConfig config, int maxAnswerBytes) {
    return switch (config.type()) {
      case AWS_PROXY -> {
        if (config.function() == null) {
          throw new IllegalArgumentException("an aws_proxy integration needs a function");
        }
        yield endpoint(owner, config, config.function());
      }
      case HTTP, HTTP_PROXY -> {
        long timeout = timeout(config.timeoutMillis(), MAX_TIMEOUT_MILLIS);
        long connectTimeout = Math.min(timeout(config.connectTimeoutMillis(), 10_000), timeout);
        Backend backend =
            Backend.of(
                upstreams.forTenant(owner.tenantId()),
                egress,
                owner,
                uri(config),
                HttpMethod.POST,
                ParameterMapping.parse(Map.of()),
                connectTimeout,
                timeout);
        yield FunctionEndpoint.posting(
            backend.client(),
            backend::admit,
            config.uri(),
            connectTimeout,
            timeout,
            maxAnswerBytes);
      }
      default ->
          throw new IllegalArgumentException(
              "a WebSocket route takes an http, http_proxy, mock or aws_proxy integration, not "
                  + config.type().name().toLowerCase(Locale.ROOT));
    };
  }

  private FunctionEndpoint endpoint(
      IntegrationOwner owner, IntegrationConfig config, FunctionTarget target) {
    long timeout = timeout(config.timeoutMillis(), MAX_TIMEOUT_MILLIS);
    if (target.timeoutMillis() > 0) {
      timeout = Math.min(timeout, timeout(target.timeoutMillis(), MAX_TIMEOUT_MILLIS));
    }
    long connectTimeout = Math.min(timeout(config.connectTimeoutMillis(), 10_000), timeout);
    Backend backend =
        Backend.of(
            upstreams.forTenant(owner.tenantId()),
            egress,
            owner,
            UriTemplate.parse(FunctionEndpoint.invocationsUrl(target.invokeUrl())),
            HttpMethod.POST,
            ParameterMapping.parse(Map.of()),
            connectTimeout,
            timeout);
    return new FunctionEndpoint(backend.client(), backend::admit, target, connectTimeout, timeout);
  }

  private static UriTemplate uri(IntegrationConfig config) {
    if (config.uri() == null || config.uri().isBlank()) {
      throw new IllegalArgumentException("an " + config.type() + " integration needs a uri");
    }
    String lower = config.uri().toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://") && !lower.startsWith("${")) {
      throw new IllegalArgumentException("integration uri must be http(s): " + config.uri());
    }
    return UriTemplate.parse(config.uri());
  }

  /** Null (use the client's method) for ANY or unset. */
  private static HttpMethod method(String name) {
    if (name == null || name.isBlank() || name.equalsIgnoreCase("ANY")) {
      return null;
    }
    return HttpMethod.valueOf(name.toUpperCase(Locale.ROOT));
  }

  private static long timeout(int configured, int fallback) {
    if (configured <= 0) {
      return fallback;
    }
    return Math.clamp(configured, MIN_TIMEOUT_MILLIS, MAX_TIMEOUT_MILLIS);
  }
}
