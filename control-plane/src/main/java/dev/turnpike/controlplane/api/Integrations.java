package dev.turnpike.controlplane.api;

import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.controlplane.function.FunctionNames;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Use cases of an API's integrations. */
public final class Integrations {
  public static final int MIN_TIMEOUT_MS = IntegrationTimeouts.MIN_MS;
  public static final int MAX_TIMEOUT_MS = IntegrationTimeouts.MAX_MS;
  static final String AWS_PROXY = "aws_proxy";
  static final String AWS = "aws";
  static final String MOCK = "mock";

  public record MockInput(Integer statusCode, Map<String, String> headers, String body) {}

  /**
   * One integration response, in API Gateway's names.
   *
   * @param selectionPattern a regular expression matched against the backend's whole status code
   *     (the function's error message for {@code aws}); absent for the default response
   * @param statusCode the method response status it answers with
   * @param responseParameters {@code method.response.header.X} from {@code
   *     integration.response.header.Y}, {@code integration.response.body[.JSONPATH]} or a {@code
   *     'static'} value
   * @param responseTemplates mapping templates by Content-Type
   * @param contentHandling {@code CONVERT_TO_TEXT} or {@code CONVERT_TO_BINARY}
   */
  public record IntegrationResponseInput(
      String selectionPattern,
      Integer statusCode,
      Map<String, String> responseParameters,
      Map<String, String> responseTemplates,
      String contentHandling) {}

  /**
   * @param function for {@code aws_proxy} and {@code aws}: the function to invoke (Lambda's
   *     function name, {@code name:alias}, may hold {@code ${stageVariables.x}}); or give its
   *     Lambda ARN as {@code uri}
   * @param payloadFormatVersion for {@code aws_proxy}: {@code 1.0} (default) or {@code 2.0}
   * @param requestTemplates for {@code http}, {@code mock} and {@code aws}: mapping templates by
   *     Content-Type (API Gateway's {@code requestTemplates})
   * @param passthroughBehavior {@code when_no_match} (default), {@code when_no_templates} or {@code
   *     never}, in any case
   * @param contentHandling {@code CONVERT_TO_TEXT} or {@code CONVERT_TO_BINARY}
   * @param integrationResponses in the order their patterns are tried (API Gateway's {@code
   *     integrationResponses}, a list here because the order matters)
   * @param tlsConfig for {@code http} and {@code http_proxy}: TLS to the backend beyond the
   *     defaults (API Gateway's {@code tlsConfig}, with a trusted CA bundle of Turnpike's)
   */
  public record IntegrationInput(
      String type,
      String httpMethod,
      String uri,
      Integer connectTimeoutMillis,
      Integer timeoutMillis,
      Map<String, String> requestParameters,
      MockInput mock,
      String function,
      String payloadFormatVersion,
      Map<String, String> requestTemplates,
      String passthroughBehavior,
      String contentHandling,
      List<IntegrationResponseInput> integrationResponses,
      IntegrationTlsConfig tlsConfig,
      List<String> cacheKeyParameters) {
    /**
     * An input with the default TLS to the backend that leaves the cache key parameters as they are
     * (none for a new integration).
     */
    public IntegrationInput(
        String type,
        String httpMethod,
        String uri,
        Integer connectTimeoutMillis,
        Integer timeoutMillis,
        Map<String, String> requestParameters,
        MockInput mock,
        String function,
        String payloadFormatVersion,
        Map<String, String> requestTemplates,
        String passthroughBehavior,
        String contentHandling,
        List<IntegrationResponseInput> integrationResponses) {
      this(
          type,
          httpMethod,
          uri,
          connectTimeoutMillis,
          timeoutMillis,
          requestParameters,
          mock,
          function,
          payloadFormatVersion,
          requestTemplates,
          passthroughBehavior,
          contentHandling,
          integrationResponses,
          null,
          null);
    }

    /**
     * This input with the TLS settings of {@code before}, for a form that has no fields for them.
     */
    public IntegrationInput keepingTlsOf(Integration before) {
      if (tlsConfig != null || before.tlsConfig() == null || !before.type().equals(type)) {
        return this;
      }
      return new IntegrationInput(
          type,
          httpMethod,
          uri,
          connectTimeoutMillis,
          timeoutMillis,
          requestParameters,
          mock,
          function,
          payloadFormatVersion,
          requestTemplates,
          passthroughBehavior,
          contentHandling,
          integrationResponses,
          before.tlsConfig(),
          cacheKeyParameters);
    }

    /**
     * This input with the mapping fields of {@code before} (an integration of the same type), for a
     * form that edits the other fields and has none for them: saving it keeps them.
     */
    public IntegrationInput keepingMappingsOf(Integration before) {
      boolean none =
          before.requestTemplates().isEmpty()
              && before.passthroughBehavior() == null
              && before.contentHandling() == null
              && before.integrationResponses().isEmpty();
      if (none || !before.type().equals(type)) {
        return this;
      }
      return new IntegrationInput(
          type,
          httpMethod,
          uri,
          connectTimeoutMillis,
          timeoutMillis,
          requestParameters,
          before.integrationResponses().isEmpty() ? mock : null,
          function,
          payloadFormatVersion,
          before.requestTemplates(),
          before.passthroughBehavior() == null
              ? null
              : before.passthroughBehavior().name().toLowerCase(java.util.Locale.ROOT),
          before.contentHandling() == null ? null : before.contentHandling().name(),
          before.integrationResponses().stream()
              .map(
                  r ->
                      new IntegrationResponseInput(
                          r.selectionPattern(),
                          r.statusCode(),
                          r.responseParameters(),
                          r.responseTemplates(),
                          r.contentHandling() == null ? null : r.contentHandling().name()))
              .toList(),
          tlsConfig,
          cacheKeyParameters);
    }

    /** An input without mappings. */
    public IntegrationInput(
        String type,
        String httpMethod,
        String uri,
        Integer connectTimeoutMillis,
        Integer timeoutMillis,
        Map<String, String> requestParameters,
        MockInput mock,
        String function,
        String payloadFormatVersion) {
      this(
          type,
          httpMethod,
          uri,
          connectTimeoutMillis,
          timeoutMillis,
          requestParameters,
          mock,
          function,
          payloadFormatVersion,
          null,
          null,
          null,
          null);
    }

    /** An input of any type but {@code aws_proxy} and {@code aws}, without mappings. */
    public IntegrationInput(
        String type,
        String httpMethod,
        String uri,
        Integer connectTimeoutMillis,
        Integer timeoutMillis,
        Map<String, String> requestParameters,
        MockInput mock) {
      this(
          type,
          httpMethod,
          uri,
          connectTimeoutMillis,
          timeoutMillis,
          requestParameters,
          mock,
          null,
          null);
    }
  }

  private final EgressTargets egress;
  private final OwnerLimits limits;
  private final TxStore<ApiStore> apiStore;

  public Integrations(TxStore<ApiStore> apiStore, EgressTargets egress, OwnerLimits limits) {
    this.apiStore = apiStore;
    this.egress = egress;
    this.limits = limits;
  }

  public Integration create(TenantTx tx, UUID apiId, IntegrationInput in) {
    // The resource must exist before its input is judged: 404 comes before 400.
    apiStore.in(tx).findApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    validate(in, uri -> egress.problem(tx.tenantId(), uri));
    checkBody(in);
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    limits.check(Limit.INTEGRATIONS_PER_API, store.countIntegrations(apiId) + 1L, null);
    Integration created =
        toIntegration(UUID.randomUUID(), apiId, in, tx)
            .withCacheKeyParameters(
                in.cacheKeyParameters() == null ? List.of() : in.cacheKeyParameters());
    store.insertIntegration(created);
    tx.audit().record("integration.create", "integration", created.id(), null, created);
    return created;
  }

  public List<Integration> list(TenantTx tx, UUID apiId) {
    ApiStore store = apiStore.in(tx);
    store.findApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    return store.listIntegrations(apiId);
  }

  public Integration get(TenantTx tx, UUID apiId, UUID integrationId) {
    return apiStore
        .in(tx)
        .findIntegration(apiId, integrationId)
        .orElseThrow(() -> notFound(integrationId));
  }

  public Integration update(TenantTx tx, UUID apiId, UUID integrationId, IntegrationInput in) {
    get(
        tx,
        apiId,
        integrationId); // The resource must exist before its input is judged: 404 comes before 400.
    validate(in, uri -> egress.problem(tx.tenantId(), uri));
    checkBody(in);
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    Integration before =
        store.findIntegration(apiId, integrationId).orElseThrow(() -> notFound(integrationId));
    Integration after =
        toIntegration(integrationId, apiId, in, tx)
            .withCreatedAt(before.createdAt())
            // Response caching: an input without cacheKeyParameters keeps the integration's.
            .withCacheKeyParameters(
                in.cacheKeyParameters() == null
                    ? before.cacheKeyParameters()
                    : in.cacheKeyParameters());
    store.updateIntegration(after);
    tx.audit().record("integration.update", "integration", integrationId, before, after);
    return after;
  }

  public void delete(TenantTx tx, UUID apiId, UUID integrationId) {
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    Integration before =
        store.findIntegration(apiId, integrationId).orElseThrow(() -> notFound(integrationId));
    List<Route> users = store.routesUsing(integrationId);
    if (!users.isEmpty()) {
      Route first = users.getFirst();
      throw ApiFailure.conflict(
          "The integration is used by "
              + users.size()
              + " route(s), e.g. "
              + first.method()
              + " "
              + first.resourcePath()
              + "; point them elsewhere first");
    }
    store.deleteIntegration(integrationId);
    tx.audit().record("integration.delete", "integration", integrationId, before, null);
  }

  private void checkBody(IntegrationInput in) {
    if (in.mock() != null && in.mock().body() != null) {
      limits.check(
          Limit.RESPONSE_BODY_BYTES,
          in.mock().body().getBytes(StandardCharsets.UTF_8).length,
          "/mock/body");
    }
    checkTemplates(in.requestTemplates(), "/requestTemplates/");
    List<IntegrationResponseInput> responses = orEmpty(in.integrationResponses());
    for (int i = 0; i < responses.size(); i++) {
      if (responses.get(i) != null) {
        checkTemplates(
            responses.get(i).responseTemplates(),
            "/integrationResponses/" + i + "/responseTemplates/");
      }
    }
  }

  private void checkTemplates(Map<String, String> templates, String pointer) {
    if (templates != null) {
      templates.forEach(
          (type, template) -> {
            if (template != null) {
              limits.check(
                  Limit.RESPONSE_BODY_BYTES,
                  template.getBytes(StandardCharsets.UTF_8).length,
                  pointer + escape(type));
            }
          });
    }
  }

  static ApiFailure notFound(UUID integrationId) {
    return ApiFailure.notFound("Integration " + integrationId);
  }

  private static Integration toIntegration(UUID id, UUID apiId, IntegrationInput in, TenantTx tx) {
    int connectTimeout = in.connectTimeoutMillis() == null ? 10_000 : in.connectTimeoutMillis();
    int timeout = in.timeoutMillis() == null ? MAX_TIMEOUT_MS : in.timeoutMillis();
    String function = in.function() != null ? in.function() : FunctionNames.fromUri(in.uri());
    Integration integration =
        switch (in.type()) {
          case AWS_PROXY ->
              new Integration(
                  id,
                  apiId,
                  AWS_PROXY,
                  "POST",
                  in.uri(),
                  connectTimeout,
                  timeout,
                  Map.of(),
                  null,
                  tx.now(),
                  function,
                  in.payloadFormatVersion() == null
                      ? FunctionTarget.PAYLOAD_1_0
                      : in.payloadFormatVersion());
          case AWS ->
              new Integration(
                  id,
                  apiId,
                  AWS,
                  "POST",
                  in.uri(),
                  connectTimeout,
                  timeout,
                  Map.of(),
                  null,
                  tx.now(),
                  function,
                  null);
          case MOCK ->
              new Integration(
                  id,
                  apiId,
                  MOCK,
                  null,
                  null,
                  connectTimeout,
                  timeout,
                  orEmpty(in.requestParameters()),
                  in.mock() == null
                      ? null
                      : new MockResponse(
                          in.mock().statusCode(), in.mock().headers(), in.mock().body()),
                  tx.now());
          default ->
              new Integration(
                  id,
                  apiId,
                  in.type(),
                  in.httpMethod(),
                  in.uri(),
                  connectTimeout,
                  timeout,
                  orEmpty(in.requestParameters()),
                  null,
                  tx.now());
        };
    return integration
        .withTlsConfig(BackendTlsRules.normalized(in.tlsConfig()))
        .withMappings(
            orEmpty(in.requestTemplates()),
            MappingRules.passthroughBehavior(in.passthroughBehavior()),
            MappingRules.contentHandling(in.contentHandling()),
            orEmpty(in.integrationResponses()).stream()
                .map(
                    r ->
                        new IntegrationResponse(
                            r.selectionPattern(),
                            r.statusCode(),
                            r.responseParameters(),
                            r.responseTemplates(),
                            MappingRules.contentHandling(r.contentHandling())))
                .toList());
  }

  /**
   * @param targetProblem why the egress policy refuses a URI, or null
   */
  static void validate(IntegrationInput in, Function<String, String> targetProblem) {
    Validation v = new Validation();
    if (v.required("/type", in.type())) {
      v.check(
          "/type",
          in.type(),
          t -> Set.of("http", "http_proxy", MOCK, AWS_PROXY, AWS).contains(t),
          "must be http, http_proxy, mock, aws_proxy or aws (an aws integration invokes a"
              + " function; integrations with other AWS services have no target in Turnpike)");
    }
    v.range("/connectTimeoutMillis", in.connectTimeoutMillis(), MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    v.range("/timeoutMillis", in.timeoutMillis(), MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    boolean invokesFunction = AWS_PROXY.equals(in.type()) || AWS.equals(in.type());
    if (!invokesFunction) {
      v.forbidden("/function", in.function(), "is only for an aws_proxy or aws integration");
    }
    if (!AWS_PROXY.equals(in.type())) {
      v.forbidden(
          "/payloadFormatVersion",
          in.payloadFormatVersion(),
          "is only for an aws_proxy integration");
    }
    if (invokesFunction) {
      validateFunction(v, in);
    } else if (MOCK.equals(in.type())) {
      v.forbidden("/uri", in.uri(), "must be absent for a mock integration");
      v.forbidden("/httpMethod", in.httpMethod(), "must be absent for a mock integration");
      boolean responses = !orEmpty(in.integrationResponses()).isEmpty();
      if (responses) {
        v.forbidden(
            "/mock",
            in.mock(),
            "must be absent when the mock has integrationResponses: give one or the other");
      } else if (v.required("/mock", in.mock())) {
        if (v.required("/mock/statusCode", in.mock().statusCode())) {
          v.range("/mock/statusCode", in.mock().statusCode(), 100, 599);
        }
        HeaderRules.validate(v, "/mock/headers", in.mock().headers());
      }
    } else if (in.type() != null) {
      v.forbidden("/mock", in.mock(), "is only for a mock integration");
      if (v.required("/httpMethod", in.httpMethod())) {
        v.check(
            "/httpMethod", in.httpMethod(), HttpMethods.ROUTE_METHODS::contains, HttpMethods.RULE);
      }
      String upstream = in.uri() == null ? null : UpstreamConfig.nameIn(in.uri());
      if (upstream != null) {
        // The upstream's targets are held to the egress policy when it is saved.
        if (!"http".equals(in.type()) && !"http_proxy".equals(in.type())) {
          v.add("/uri", "upstream://{name}/... is only for http and http_proxy integrations");
        } else if (!UpstreamConfig.isName(upstream)) {
          v.add("/uri", "upstream://{name}/...: the name must be an upstream's name");
        }
      } else if (v.required("/uri", in.uri())) {
        String refused = targetProblem.apply(in.uri());
        if (refused != null) {
          v.add("/uri", refused);
        } else {
          v.check(
              "/uri",
              in.uri(),
              Integrations::isBackendUri,
              "must be an absolute http or https URL");
        }
      }
    }
    if (in.requestParameters() != null) {
      in.requestParameters()
          .forEach(
              (target, source) -> {
                String pointer = "/requestParameters/" + escape(target);
                String problem = IntegrationParameterRules.problem(target, source);
                if (problem != null) {
                  v.add(pointer, problem);
                }
              });
    }
    IntegrationMappingRules.validate(v, in);
    List<String> cacheKeys = in.cacheKeyParameters() == null ? List.of() : in.cacheKeyParameters();
    for (int i = 0; i < cacheKeys.size(); i++) {
      v.check(
          "/cacheKeyParameters/" + i,
          cacheKeys.get(i),
          key -> key != null && CACHE_KEY_PARAMETER.matcher(key).matches(),
          "must be method.request.path.NAME, method.request.querystring.NAME or"
              + " method.request.header.NAME");
    }
    BackendTlsRules.validate(v, in);
    v.throwIfInvalid();
  }

  /** API Gateway's {@code cacheKeyParameters}: a value of the method request. */
  private static final Pattern CACHE_KEY_PARAMETER =
      Pattern.compile("^method\\.request\\.(path|querystring|header)\\.[^.\\s][^\\s]{0,127}$");

  /**
   * A function integration names its function, or gives its Lambda ARN as an AWS export does; it is
   * always a POST of the event, and maps no parameters (the event carries the whole request).
   */
  private static void validateFunction(Validation v, IntegrationInput in) {
    v.forbidden("/mock", in.mock(), "is only for a mock integration");
    String type = in.type();
    v.forbidden(
        "/requestParameters",
        in.requestParameters(),
        AWS_PROXY.equals(type)
            ? "is not applied to an aws_proxy integration: the function's event carries the whole"
                + " request"
            : "is not applied to an aws integration: its request template makes the function's"
                + " payload");
    v.check(
        "/httpMethod",
        in.httpMethod(),
        "POST"::equals,
        "must be POST (or absent) for an "
            + type
            + " integration: functions are invoked with POST");
    v.check(
        "/payloadFormatVersion",
        in.payloadFormatVersion(),
        p -> p.equals(FunctionTarget.PAYLOAD_1_0) || p.equals(FunctionTarget.PAYLOAD_2_0),
        "must be 1.0 or 2.0");
    String fromUri = null;
    if (in.uri() != null) {
      fromUri = FunctionNames.fromUri(in.uri());
      if (fromUri == null) {
        v.add(
            "/uri",
            "must be a Lambda invocation ARN,"
                + " arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
                + "arn:aws:lambda:{region}:{account}:function:{name}[:{alias}]/invocations,"
                + " or a function ARN");
      }
    }
    if (in.function() == null && in.uri() == null) {
      v.add(
          "/function",
          "is required for an " + type + " integration (or give its Lambda ARN as uri)");
    } else if (in.function() != null) {
      if (!FunctionNames.isReference(in.function())) {
        v.add("/function", FunctionNames.NAME_RULE + "; stage variables may stand for parts of it");
      } else if (fromUri != null && !fromUri.equals(in.function())) {
        v.add("/function", "must be the function the uri names (" + fromUri + "), or absent");
      }
    }
  }

  static String escape(String key) {
    return key == null ? "null" : key.replace("~", "~0").replace("/", "~1");
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }

  private static boolean isBackendUri(String uri) {
    // Stage variables and path parameters are placeholders until the gateway fills them in.
    String probe =
        uri.replaceAll("\\$\\{stageVariables\\.[A-Za-z0-9_]+}", "x").replaceAll("\\{[^}/]+}", "x");
    try {
      URI parsed = new URI(probe);
      return ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))
          && parsed.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
