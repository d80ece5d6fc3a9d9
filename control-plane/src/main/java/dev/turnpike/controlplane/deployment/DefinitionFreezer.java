package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.ApiKeySource;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.RequestValidation;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.IntegrationTlsConfig;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.authorizer.AuthorizerSpec;
import dev.turnpike.controlplane.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Freezes an API definition into its canonical form: routes in a fixed order, map keys sorted, so
 * the same definition always gives the same JSON and the same SHA-256.
 */
public final class DefinitionFreezer {
  /** The frozen definition, its canonical JSON and the hash of that JSON. */
  public record Frozen(FrozenApi definition, String canonicalJson, String hash) {}

  private DefinitionFreezer() {}

  /**
   * @param checks the request validators of routes that have one, by route id
   */
  public static Frozen freeze(
      Api api,
      List<Integration> integrations,
      List<Route> routes,
      Map<UUID, RequestValidation> checks) {
    return freeze(api, integrations, routes, checks, Map.of());
  }

  /**
   * @param functions the resolved target of each aws_proxy integration, by integration id
   */
  public static Frozen freeze(
      Api api,
      List<Integration> integrations,
      List<Route> routes,
      Map<UUID, RequestValidation> checks,
      Map<UUID, FunctionTarget> functions) {
    return freeze(api, integrations, routes, checks, functions, List.of());
  }

  /**
   * @param functions the resolved target of each aws_proxy integration, by integration id, and of
   *     each function-backed authorizer, by authorizer id
   * @param authorizers the API's authorizers
   */
  public static Frozen freeze(
      Api api,
      List<Integration> integrations,
      List<Route> routes,
      Map<UUID, RequestValidation> checks,
      Map<UUID, FunctionTarget> functions,
      List<Authorizer> authorizers) {
    return freeze(api, integrations, routes, checks, functions, authorizers, List.of());
  }

  /** {@code frozen} with a WebSocket API's routes, hashed again. */
  public static Frozen withWebSocket(Frozen frozen, WebSocketApiConfig webSocket) {
    FrozenApi definition = frozen.definition().withWebSocket(webSocket);
    String json = Json.write(definition);
    return new Frozen(definition, json, sha256(json));
  }

  /**
   * @param upstreams the API's upstreams, which its integrations may name
   */
  public static Frozen freeze(
      Api api,
      List<Integration> integrations,
      List<Route> routes,
      Map<UUID, RequestValidation> checks,
      Map<UUID, FunctionTarget> functions,
      List<Authorizer> authorizers,
      List<UpstreamConfig> upstreams) {
    Map<UUID, Integration> byId =
        integrations.stream().collect(Collectors.toMap(Integration::id, Function.identity()));
    List<RouteConfig> frozenRoutes =
        routes.stream()
            .sorted(Comparator.comparing(Route::resourcePath).thenComparing(Route::method))
            .map(
                route ->
                    new RouteConfig(
                        route.id().toString(),
                        route.method(),
                        route.resourcePath(),
                        route.apiKeyRequired(),
                        integration(
                            byId.get(route.integrationId()), functions.get(route.integrationId())),
                        checks.get(route.id()),
                        authorization(route),
                        cacheKeyParameters(byId.get(route.integrationId()))))
            .toList();
    FrozenApi definition =
        new FrozenApi(
            api.id().toString(),
            api.slug(),
            frozenRoutes,
            api.gatewayResponses(),
            api.binaryMediaTypes().stream().sorted().toList(),
            authorizers.stream()
                .sorted(Comparator.comparing(Authorizer::name))
                .map(a -> authorizer(a, functions.get(a.id())))
                .toList(),
            ApiKeySource.valueOf(api.apiKeySource()),
            api.sourceIpPolicy(),
            api.compression(),
            api.corsConfiguration(),
            upstreams.stream().sorted(Comparator.comparing(UpstreamConfig::name)).toList());
    String json = Json.write(definition);
    return new Frozen(definition, json, sha256(json));
  }

  /**
   * An integration of the draft, as an export writes it: an aws_proxy one names its function, with
   * no invoke URL (that is resolved only when deploying).
   */
  public static IntegrationConfig integration(Integration integration) {
    FunctionTarget unresolved =
        integration.function() == null
            ? null
            : new FunctionTarget(
                integration.function(),
                null,
                integration.timeoutMillis(),
                integration.payloadFormatVersion());
    return integration(integration, unresolved);
  }

  /** A route's authorization as the gateway enforces it; null for none. */
  public static RouteAuthorization authorization(Route route) {
    return route.authorizerId() == null
        ? null
        : new RouteAuthorization(route.authorizerId().toString(), route.authorizationScopes());
  }

  /**
   * An authorizer of the draft, as an export writes it: a function-backed one names its function,
   * with no invoke URL (that is resolved only when deploying).
   */
  public static AuthorizerConfig authorizer(Authorizer authorizer) {
    AuthorizerSpec spec = authorizer.spec();
    FunctionTarget unresolved =
        spec.function() == null
            ? null
            : new FunctionTarget(
                spec.function(), null, spec.timeoutMillis(), spec.payloadFormatVersion());
    return authorizer(authorizer, unresolved);
  }

  /** An authorizer as the gateway runs it, and as a deployment keeps it. */
  static AuthorizerConfig authorizer(Authorizer authorizer, FunctionTarget function) {
    AuthorizerSpec spec = authorizer.spec();
    AuthorizerType type =
        switch (spec.type()) {
          case AuthorizerSpec.JWT -> AuthorizerType.JWT;
          case AuthorizerSpec.TOKEN -> AuthorizerType.TOKEN;
          case AuthorizerSpec.REQUEST -> AuthorizerType.REQUEST;
          default -> AuthorizerType.UNKNOWN;
        };
    return new AuthorizerConfig(
        authorizer.id().toString(),
        authorizer.name(),
        type,
        spec.identitySources(),
        spec.jwt(),
        function,
        spec.endpointUrl(),
        // A registered function's own timeout bounds the authorizer's, as it does integrations'.
        function != null
            ? function.timeoutMillis()
            : spec.timeoutMillis() == null ? 0 : spec.timeoutMillis(),
        spec.resultTtlSeconds() == null ? 0 : spec.resultTtlSeconds(),
        spec.identityValidationExpression(),
        spec.payloadFormatVersion(),
        Boolean.TRUE.equals(spec.simpleResponses()));
  }

  /** An integration as the gateway runs it, and as a deployment keeps it. */
  static IntegrationConfig integration(Integration integration, FunctionTarget function) {
    if ("aws_proxy".equals(integration.type())) {
      return IntegrationConfig.awsProxy(
          integration.uri(),
          integration.connectTimeoutMillis(),
          integration.timeoutMillis(),
          function);
    }
    IntegrationType type =
        switch (integration.type()) {
          case "http" -> IntegrationType.HTTP;
          case "http_proxy" -> IntegrationType.HTTP_PROXY;
          case "mock" -> IntegrationType.MOCK;
          case "aws" -> IntegrationType.AWS;
          default -> IntegrationType.UNKNOWN;
        };
    return new IntegrationConfig(
        type,
        integration.httpMethod(),
        integration.uri(),
        integration.connectTimeoutMillis(),
        integration.timeoutMillis(),
        integration.requestParameters(),
        integration.mock(),
        type == IntegrationType.AWS ? function : null,
        integration.requestTemplates(),
        integration.passthroughBehavior(),
        integration.contentHandling(),
        integration.integrationResponses(),
        tls(integration));
  }

  /**
   * An http integration's TLS settings as the gateway applies them: its stage's client certificate
   * joins them when the stage is published, not here, as stage settings are not frozen.
   */
  private static BackendTls tls(Integration integration) {
    IntegrationTlsConfig tls = integration.tlsConfig();
    if (tls == null || tls.isDefault()) {
      return null;
    }
    return new BackendTls(
        tls.trustedCaPem(), tls.insecureSkipVerification(), tls.serverNameToVerify(), null);
  }

  /** Response caching: the route's cache key parameters are its integration's, as in AWS. */
  private static List<String> cacheKeyParameters(Integration integration) {
    return integration == null ? List.of() : integration.cacheKeyParameters();
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
