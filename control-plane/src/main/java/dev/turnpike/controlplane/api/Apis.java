package dev.turnpike.controlplane.api;

import dev.turnpike.contracts.config.CompressionConfig;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tenant.Tenants;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Use cases of API definitions: create, read, change, delete. */
public final class Apis {
  /** Gateway response types an owner may override, as API Gateway names them. */
  public static final Set<String> GATEWAY_RESPONSE_TYPES = GatewayResponseTypes.ALL;

  private static final Pattern MEDIA_TYPE = Pattern.compile("^[\\w.+*-]+/[\\w.+*-]+$");

  /**
   * @param sourceIpPolicy {@code {"allowCidrs": [...], "denyCidrs": [...]}}, null for none
   * @param minimumCompressionSize 0 to 10,485,760 bytes, null for no response compression
   * @param decompressRequests null reads as false
   */
  public record CreateApi(
      String slug,
      String name,
      String description,
      String apiKeySource,
      List<String> binaryMediaTypes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      SourceIpPolicy sourceIpPolicy,
      Integer minimumCompressionSize,
      Boolean decompressRequests,
      CorsConfiguration corsConfiguration) {
    /** An API without a resource policy, compression or CORS. */
    public CreateApi(
        String slug,
        String name,
        String description,
        String apiKeySource,
        List<String> binaryMediaTypes,
        Map<String, GatewayResponseConfig> gatewayResponses) {
      this(
          slug,
          name,
          description,
          apiKeySource,
          binaryMediaTypes,
          gatewayResponses,
          null,
          null,
          null,
          null);
    }
  }

  /**
   * The whole of an API's settings, as a PUT replaces them: what is left out is cleared.
   *
   * @param corsConfiguration null removes the API's CORS configuration
   */
  public record UpdateApi(
      String name,
      String description,
      String apiKeySource,
      List<String> binaryMediaTypes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      SourceIpPolicy sourceIpPolicy,
      Integer minimumCompressionSize,
      Boolean decompressRequests,
      CorsConfiguration corsConfiguration) {
    /** New settings without a resource policy, compression or CORS. */
    public UpdateApi(
        String name,
        String description,
        String apiKeySource,
        List<String> binaryMediaTypes,
        Map<String, GatewayResponseConfig> gatewayResponses) {
      this(
          name,
          description,
          apiKeySource,
          binaryMediaTypes,
          gatewayResponses,
          null,
          null,
          null,
          null);
    }

    /** These settings with another CORS configuration, as the console's CORS form saves. */
    public UpdateApi withCors(CorsConfiguration cors) {
      return new UpdateApi(
          name,
          description,
          apiKeySource,
          binaryMediaTypes,
          gatewayResponses,
          sourceIpPolicy,
          minimumCompressionSize,
          decompressRequests,
          cors);
    }

    /** The settings {@code api} has now, to change one part of them. */
    public static UpdateApi of(Api api) {
      return keeping(api, api.name(), api.description(), api.gatewayResponses());
    }

    /** {@code api}'s settings with a new name and description, the rest kept. */
    public static UpdateApi renamed(Api api, String name, String description) {
      return keeping(api, name, description, api.gatewayResponses());
    }

    /** {@code api}'s settings with a new resource policy and compression, the rest kept. */
    public static UpdateApi withEdge(
        Api api,
        SourceIpPolicy sourceIpPolicy,
        Integer minimumCompressionSize,
        boolean decompressRequests) {
      return new UpdateApi(
          api.name(),
          api.description(),
          api.apiKeySource(),
          api.binaryMediaTypes(),
          api.gatewayResponses(),
          sourceIpPolicy,
          minimumCompressionSize,
          decompressRequests,
          api.corsConfiguration());
    }

    /** {@code api}'s settings with new gateway responses, the rest kept. */
    public static UpdateApi withResponses(
        Api api, Map<String, GatewayResponseConfig> gatewayResponses) {
      return keeping(api, api.name(), api.description(), gatewayResponses);
    }

    private static UpdateApi keeping(
        Api api,
        String name,
        String description,
        Map<String, GatewayResponseConfig> gatewayResponses) {
      return new UpdateApi(
          name,
          description,
          api.apiKeySource(),
          api.binaryMediaTypes(),
          gatewayResponses,
          api.sourceIpPolicy(),
          api.minimumCompressionSize(),
          api.decompressRequests(),
          api.corsConfiguration());
    }
  }

  private final ApiRemoval removal;
  private final OwnerLimits limits;
  private final TxStore<ApiStore> apiStore;

  public Apis(TxStore<ApiStore> apiStore, ApiRemoval removal, OwnerLimits limits) {
    this.apiStore = apiStore;
    this.removal = removal;
    this.limits = limits;
  }

  public Api create(TenantTx tx, CreateApi in) {
    Validation v = new Validation();
    if (v.required("/slug", in.slug())) {
      v.matches("/slug", in.slug(), Tenants.SLUG, Tenants.SLUG_RULE);
    }
    validateCommon(
        v,
        in.name(),
        in.description(),
        in.apiKeySource(),
        in.binaryMediaTypes(),
        in.gatewayResponses());
    validateEdge(v, in.sourceIpPolicy(), in.minimumCompressionSize());
    validateCors(v, in.corsConfiguration());
    v.throwIfInvalid();
    checkBodies(in.gatewayResponses());
    limits.check(Limit.APIS_PER_TENANT, apiStore.in(tx).countApis() + 1L, null);
    Api api =
        new Api(
            UUID.randomUUID(),
            in.slug(),
            in.name(),
            in.description(),
            in.apiKeySource() == null ? "HEADER" : in.apiKeySource(),
            orEmpty(in.binaryMediaTypes()),
            orEmpty(in.gatewayResponses()),
            in.sourceIpPolicy(),
            in.minimumCompressionSize(),
            Boolean.TRUE.equals(in.decompressRequests()),
            canonical(in.corsConfiguration()),
            tx.now(),
            tx.now());
    apiStore.in(tx).insertApi(api);
    tx.audit().record("api.create", "api", api.id(), null, api);
    return api;
  }

  public List<Api> list(TenantTx tx) {
    return apiStore.in(tx).listApis();
  }

  public Api get(TenantTx tx, UUID apiId) {
    return apiStore.in(tx).findApi(apiId).orElseThrow(() -> notFound(apiId));
  }

  public Api update(TenantTx tx, UUID apiId, UpdateApi in) {
    get(tx, apiId); // The resource must exist before its input is judged: 404 comes before 400.
    Validation v = new Validation();
    validateCommon(
        v,
        in.name(),
        in.description(),
        in.apiKeySource(),
        in.binaryMediaTypes(),
        in.gatewayResponses());
    validateEdge(v, in.sourceIpPolicy(), in.minimumCompressionSize());
    validateCors(v, in.corsConfiguration());
    v.throwIfInvalid();
    checkBodies(in.gatewayResponses());
    ApiStore store = apiStore.in(tx);
    Api before = store.lockApi(apiId).orElseThrow(() -> notFound(apiId));
    Api after =
        new Api(
            apiId,
            before.slug(),
            in.name(),
            in.description(),
            in.apiKeySource() == null ? "HEADER" : in.apiKeySource(),
            orEmpty(in.binaryMediaTypes()),
            orEmpty(in.gatewayResponses()),
            in.sourceIpPolicy(),
            in.minimumCompressionSize(),
            Boolean.TRUE.equals(in.decompressRequests()),
            canonical(in.corsConfiguration()),
            before.createdAt(),
            tx.now());
    store.updateApi(after);
    tx.audit().record("api.update", "api", apiId, before, after);
    return after;
  }

  public void delete(TenantTx tx, UUID apiId) {
    ApiStore store = apiStore.in(tx);
    Api before = store.lockApi(apiId).orElseThrow(() -> notFound(apiId));
    Runnable afterDelete = removal.beforeDelete(tx, apiId);
    store.deleteApi(apiId);
    afterDelete.run();
    tx.audit().record("api.delete", "api", apiId, before, null);
  }

  private void checkBodies(Map<String, GatewayResponseConfig> responses) {
    orEmpty(responses)
        .forEach(
            (type, response) -> {
              if (response == null) {
                return;
              }
              if (response.body() != null) {
                limits.check(
                    Limit.RESPONSE_BODY_BYTES,
                    response.body().getBytes(StandardCharsets.UTF_8).length,
                    "/gatewayResponses/" + type + "/body");
              }
              response
                  .responseTemplates()
                  .forEach(
                      (contentType, template) ->
                          limits.check(
                              Limit.RESPONSE_BODY_BYTES,
                              template == null
                                  ? 0
                                  : template.getBytes(StandardCharsets.UTF_8).length,
                              "/gatewayResponses/"
                                  + type
                                  + "/responseTemplates/"
                                  + Integrations.escape(contentType)));
            });
  }

  static ApiFailure notFound(UUID apiId) {
    return ApiFailure.notFound("API " + apiId);
  }

  /**
   * The resource policy's CIDR blocks and the compression size, by the contracts' rules: a 400
   * naming the bad entry.
   */
  public static void validateEdge(
      Validation v, SourceIpPolicy sourceIpPolicy, Integer minimumCompressionSize) {
    if (sourceIpPolicy != null) {
      String problem = sourceIpPolicy.problem();
      if (problem != null) {
        v.add("/sourceIpPolicy", problem);
      }
    }
    String sizeProblem = CompressionConfig.minimumSizeProblem(minimumCompressionSize);
    if (sizeProblem != null) {
      v.add("/minimumCompressionSize", sizeProblem);
    }
  }

  private static void validateCommon(
      Validation v,
      String name,
      String description,
      String apiKeySource,
      List<String> binaryMediaTypes,
      Map<String, GatewayResponseConfig> gatewayResponses) {
    if (v.required("/name", name)) {
      v.length("/name", name, 1, 200);
    }
    v.length("/description", description, 0, 4000);
    v.check(
        "/apiKeySource",
        apiKeySource,
        s -> s.equals("HEADER") || s.equals("AUTHORIZER"),
        "must be HEADER or AUTHORIZER");
    List<String> types = orEmpty(binaryMediaTypes);
    for (int i = 0; i < types.size(); i++) {
      String type = types.get(i);
      if (type == null || !MEDIA_TYPE.matcher(type).matches()) {
        v.add("/binaryMediaTypes/" + i, "must be a media type such as image/png or */*");
      }
    }
    orEmpty(gatewayResponses)
        .forEach(
            (type, response) -> {
              String pointer = "/gatewayResponses/" + type;
              if (!GATEWAY_RESPONSE_TYPES.contains(type)) {
                v.add(pointer, "is not a gateway response type");
              } else if (response == null) {
                v.add(pointer, "must be an object");
              } else {
                v.range(pointer + "/statusCode", response.statusCode(), 100, 599);
                HeaderRules.validate(v, pointer + "/headers", response.headers());
                response
                    .responseParameters()
                    .forEach(
                        (target, source) -> {
                          String problem =
                              MappingRules.gatewayResponseParameterProblem(target, source);
                          if (problem != null) {
                            v.add(
                                pointer + "/responseParameters/" + Integrations.escape(target),
                                problem);
                          }
                        });
                response
                    .responseTemplates()
                    .forEach(
                        (contentType, template) -> {
                          String problem = MappingRules.contentTypeProblem(contentType);
                          if (problem == null) {
                            problem = MappingRules.templateProblem(template);
                          }
                          if (problem != null) {
                            v.add(
                                pointer + "/responseTemplates/" + Integrations.escape(contentType),
                                problem);
                          }
                        });
              }
            });
  }

  /** The rules live with the configuration, shared with the OpenAPI import and the gateway. */
  private static void validateCors(Validation v, CorsConfiguration cors) {
    if (cors != null) {
      cors.problems().forEach((pointer, message) -> v.add("/corsConfiguration" + pointer, message));
    }
  }

  private static CorsConfiguration canonical(CorsConfiguration cors) {
    return cors == null ? null : cors.normalized();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
