package dev.turnpike.gateway.authorizer.lambda;

import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.gateway.function.FunctionEndpoint;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.integration.ParameterMapping;
import dev.turnpike.gateway.integration.UpstreamClients;
import dev.turnpike.gateway.integration.UriTemplate;
import dev.turnpike.gateway.integration.impl.Backend;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a deployment's TOKEN and REQUEST authorizers, once per deployment, on the config thread:
 * identity sources parsed, the validation expression compiled, the target admitted by the egress
 * policy exactly as an integration at the same URL would be, on the tenant's own upstream pool.
 */
public final class LambdaAuthorizers {
  /** API Gateway waits at least this long for an authorizer (its {@code timeoutInMillis} floor). */
  static final int MIN_TIMEOUT_MILLIS = 50;

  /**
   * @param maxCacheEntries answers one authorizer keeps at most
   * @param maxCacheBytes what one authorizer's cached answers may weigh together
   * @param maxAnswerBytes the largest answer read from an authorizer; a larger one is a failure
   */
  public record Limits(int maxCacheEntries, long maxCacheBytes, int maxAnswerBytes) {
    public static final Limits DEFAULT = new Limits(10_000, 8L * 1024 * 1024, 64 * 1024);

    public Limits {
      if (maxCacheEntries < 1 || maxCacheBytes < 1 || maxAnswerBytes < 1) {
        throw new IllegalArgumentException("authorizer limits must be positive");
      }
    }
  }

  private final UpstreamClients upstreams;
  private final EgressGuard egress;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Limits limits;

  public LambdaAuthorizers(
      UpstreamClients upstreams, EgressGuard egress, Clock clock, MeterRegistry meters) {
    this(upstreams, egress, clock, meters, Limits.DEFAULT);
  }

  public LambdaAuthorizers(
      UpstreamClients upstreams,
      EgressGuard egress,
      Clock clock,
      MeterRegistry meters,
      Limits limits) {
    this.upstreams = upstreams;
    this.egress = egress;
    this.clock = clock;
    this.meters = meters;
    this.limits = limits;
  }

  /**
   * The authorizer {@code config} describes, for {@code deployment}'s tenant, API and stage.
   *
   * @throws IllegalArgumentException with a message an owner can act on, for a config the gateway
   *     cannot serve (routes using it should then answer 500, as a broken integration does)
   */
  public LambdaAuthorizer create(DeploymentSnapshot deployment, AuthorizerConfig config) {
    LambdaAuthorizer.Shape shape = shape(config);
    List<IdentitySource> sources = sources(config, shape);
    TokenPattern validation =
        shape == LambdaAuthorizer.Shape.TOKEN
                && config.identityValidationExpression() != null
                && !config.identityValidationExpression().isEmpty()
            ? TokenPattern.compile(config.identityValidationExpression())
            : null;
    if (config.resultTtlSeconds() < 0
        || config.resultTtlSeconds() > AuthorizerConfig.MAX_RESULT_TTL_SECONDS) {
      throw new IllegalArgumentException(
          "resultTtlSeconds must be 0 to "
              + AuthorizerConfig.MAX_RESULT_TTL_SECONDS
              + ", was "
              + config.resultTtlSeconds());
    }
    AnswerCache cache =
        config.resultTtlSeconds() == 0
            ? null
            : new AnswerCache(
                clock,
                config.resultTtlSeconds() * 1000L,
                limits.maxCacheEntries(),
                limits.maxCacheBytes());
    String name = config.name() == null ? config.authorizerId() : config.name();
    return new LambdaAuthorizer(
        name,
        shape,
        config.simpleResponses(),
        sources,
        validation,
        endpoint(deployment, config, name),
        cache,
        new AuthorizerMeters(
            meters,
            deployment.tenantSlug(),
            deployment.apiSlug(),
            deployment.stage(),
            config.authorizerId()));
  }

  private static LambdaAuthorizer.Shape shape(AuthorizerConfig config) {
    if (config.type() == AuthorizerType.TOKEN) {
      return LambdaAuthorizer.Shape.TOKEN;
    }
    if (config.type() != AuthorizerType.REQUEST) {
      throw new IllegalArgumentException(
          "authorizer " + config.authorizerId() + " is not a TOKEN or REQUEST authorizer");
    }
    return switch (config.payloadFormatVersion()) {
      case FunctionTarget.PAYLOAD_1_0 -> {
        if (config.simpleResponses()) {
          throw new IllegalArgumentException("simple responses need payload format 2.0");
        }
        yield LambdaAuthorizer.Shape.REQUEST_1_0;
      }
      case FunctionTarget.PAYLOAD_2_0 -> LambdaAuthorizer.Shape.REQUEST_2_0;
      default ->
          throw new IllegalArgumentException(
              "payloadFormatVersion must be 1.0 or 2.0, was " + config.payloadFormatVersion());
    };
  }

  /** TOKEN: one header, the {@code Authorization} header if none is named. REQUEST: all named. */
  private static List<IdentitySource> sources(
      AuthorizerConfig config, LambdaAuthorizer.Shape shape) {
    List<IdentitySource> sources = new ArrayList<>();
    for (String expression : config.identitySources()) {
      sources.add(IdentitySource.parse(expression));
    }
    if (shape == LambdaAuthorizer.Shape.TOKEN) {
      if (sources.isEmpty()) {
        return List.of(IdentitySource.parse("method.request.header.Authorization"));
      }
      if (sources.size() != 1 || !sources.getFirst().isHeader()) {
        throw new IllegalArgumentException(
            "a TOKEN authorizer reads exactly one header, not " + config.identitySources());
      }
      return sources;
    }
    if (sources.isEmpty() && config.resultTtlSeconds() > 0) {
      // Nothing to key the cache by: API Gateway refuses this combination too.
      throw new IllegalArgumentException(
          "a REQUEST authorizer with caching needs at least one identity source");
    }
    return sources;
  }

  private FunctionEndpoint endpoint(
      DeploymentSnapshot deployment, AuthorizerConfig config, String name) {
    FunctionTarget function = config.function();
    String endpointUrl = config.endpointUrl();
    if ((function == null) == (endpointUrl == null || endpointUrl.isBlank())) {
      throw new IllegalArgumentException(
          "authorizer " + name + " needs exactly one of a function and an endpointUrl");
    }
    long timeout = timeout(config.timeoutMillis());
    if (function != null && function.timeoutMillis() > 0) {
      timeout = Math.min(timeout, timeout(function.timeoutMillis()));
    }
    String url =
        function != null ? FunctionEndpoint.invocationsUrl(function.invokeUrl()) : endpointUrl;
    IntegrationOwner owner =
        new IntegrationOwner(
            deployment.tenantId(),
            deployment.tenantSlug(),
            deployment.apiSlug(),
            deployment.stage(),
            "authorizer " + name);
    Backend backend =
        Backend.of(
            upstreams.forTenant(deployment.tenantId()),
            egress,
            owner,
            UriTemplate.parse(url),
            HttpMethod.POST,
            ParameterMapping.parse(Map.of()),
            timeout,
            timeout);
    return FunctionEndpoint.posting(
        backend.client(), backend::admit, url, timeout, timeout, limits.maxAnswerBytes());
  }

  /** The configured wait, API Gateway's default and ceiling when unset or above it. */
  private static long timeout(int configured) {
    if (configured <= 0) {
      return AuthorizerConfig.DEFAULT_TIMEOUT_MILLIS;
    }
    return Math.clamp(configured, MIN_TIMEOUT_MILLIS, AuthorizerConfig.DEFAULT_TIMEOUT_MILLIS);
  }
}
