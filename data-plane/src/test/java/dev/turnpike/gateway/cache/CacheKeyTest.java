package dev.turnpike.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageCacheConfig.MethodCacheSetting;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
  static final String SCOPE = CacheKey.scope("t-1", "api-1", "prod", 0);
  static final List<CacheKeyParameter> PAGE_AND_LANG =
      List.of(
          CacheKeyParameter.parse("method.request.querystring.page"),
          CacheKeyParameter.parse("method.request.header.X-Lang"));

  static String key(String query, String lang, String caller) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      String[] parts = pair.split("=", 2);
      params.add(parts[0], parts[1]);
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (lang != null) {
      headers.add("x-lang", lang);
    }
    return CacheKey.of(SCOPE, "GET", "/pets", PAGE_AND_LANG, Map.of(), params, headers, caller);
  }

  @Nested
  class keys {
    @Test
    void key_parameters_tell_requests_apart_and_others_do_not() {
      assertThat(key("page=1&noise=a", "en", null)).isEqualTo(key("page=1&noise=b", "en", null));
      assertThat(key("page=1", "en", null)).isNotEqualTo(key("page=2", "en", null));
      assertThat(key("page=1", "en", null)).isNotEqualTo(key("page=1", "fr", null));
      assertThat(key("page=1", null, null)).isNotEqualTo(key("page=1", "", null));
      assertThat(key("page=1&page=2", "en", null)).isNotEqualTo(key("page=1", "en", null));
    }

    @Test
    void callers_never_share_a_key_and_no_value_can_pose_as_a_caller() {
      assertThat(key("page=1", "en", "k5:key-a")).isNotEqualTo(key("page=1", "en", "k5:key-b"));
      assertThat(key("page=1", "en", null)).isNotEqualTo(key("page=1", "en", ""));
      // A value that spells another part's encoding stays inside its own length prefix.
      assertThat(key("page=1", "8:k5:key-a", null)).isNotEqualTo(key("page=1", "en", "k5:key-a"));
    }

    @Test
    void stages_tenants_and_flush_generations_never_share_a_key() {
      MultiMap none = MultiMap.caseInsensitiveMultiMap();
      String base = CacheKey.of(SCOPE, "GET", "/p", List.of(), Map.of(), none, none, null);
      for (String scope :
          List.of(
              CacheKey.scope("t-2", "api-1", "prod", 0),
              CacheKey.scope("t-1", "api-2", "prod", 0),
              CacheKey.scope("t-1", "api-1", "dev", 0),
              CacheKey.scope("t-1", "api-1", "prod", 1),
              CacheKey.scope("t-1", "api-1prod", "", 0))) {
        assertThat(CacheKey.of(scope, "GET", "/p", List.of(), Map.of(), none, none, null))
            .isNotEqualTo(base);
      }
      assertThat(CacheKey.of(SCOPE, "HEAD", "/p", List.of(), Map.of(), none, none, null))
          .isNotEqualTo(base);
    }

    @Test
    void a_parameter_must_name_a_path_query_or_header_value() {
      assertThat(CacheKeyParameter.parse("method.request.path.id"))
          .isEqualTo(new CacheKeyParameter(CacheKeyParameter.Source.PATH, "id"));
      assertThat(CacheKeyParameter.parse("method.request.header.X-Lang").name())
          .isEqualTo("x-lang");
      for (String bad :
          List.of("integration.request.path.id", "method.request.body.x", "method.request.path.")) {
        assertThatThrownBy(() -> CacheKeyParameter.parse(bad))
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Nested
  class route_rules {
    final StageCache cache = new StageCache(1 << 20, 0, () -> 0L);

    RouteCache rule(String method, Map<String, MethodCacheSetting> methods, int ttl) {
      DeploymentSnapshot deployment =
          DeploymentSnapshot.builder()
              .tenantId("t-1")
              .tenantSlug("acme")
              .apiId("api-1")
              .apiSlug("pets")
              .stage("prod")
              .deploymentId("d-1")
              .hash("0")
              .deployedAt(Instant.EPOCH)
              .cache(new StageCacheConfig(true, 1 << 20, ttl, methods, false, true, null, 3))
              .build();
      RouteConfig route =
          new RouteConfig(
              "r",
              method,
              "/pets",
              false,
              new IntegrationConfig(IntegrationType.MOCK, null, null, 0, 0, null, null));
      return RouteCache.compile(deployment, route, cache, 1024);
    }

    @Test
    void get_is_cached_with_the_stage_ttl_and_other_methods_only_when_enabled() {
      RouteCache get = rule("GET", Map.of(), 300);
      assertThat(get.caches("GET")).isTrue();
      assertThat(get.caches("HEAD")).isFalse();
      assertThat(get.ttlNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(300));
      assertThat(get.scope()).isEqualTo(CacheKey.scope("t-1", "api-1", "prod", 3));

      assertThat(rule("POST", Map.of(), 300).caches("POST")).isFalse();
      assertThat(
              rule("POST", Map.of("/pets/POST", new MethodCacheSetting(true, null)), 300)
                  .caches("POST"))
          .isTrue();
    }

    @Test
    void a_method_setting_overrides_the_stage_and_the_all_methods_setting() {
      assertThat(rule("GET", Map.of("/pets/GET", new MethodCacheSetting(false, null)), 300))
          .isNull();
      assertThat(rule("GET", Map.of("*/*", new MethodCacheSetting(false, null)), 300)).isNull();
      assertThat(
              rule(
                      "GET",
                      Map.of(
                          "*/*",
                          new MethodCacheSetting(false, 5),
                          "/pets/GET",
                          new MethodCacheSetting(true, 60)),
                      300)
                  .ttlNanos())
          .isEqualTo(TimeUnit.SECONDS.toNanos(60));
      assertThat(rule("GET", Map.of(), 0)).isNull();
      assertThat(rule("GET", Map.of("/pets/GET", new MethodCacheSetting(null, 0)), 300)).isNull();
    }
  }
}
