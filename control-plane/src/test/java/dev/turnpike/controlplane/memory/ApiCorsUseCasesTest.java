package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Apis.CreateApi;
import dev.turnpike.controlplane.api.Apis.UpdateApi;
import dev.turnpike.controlplane.deployment.DefinitionFreezer;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of an API's CORS configuration, on in-memory stores. */
class ApiCorsUseCasesTest {
  private final Tenancy t = new Tenancy();

  static final CorsConfiguration CORS =
      new CorsConfiguration(
          List.of("HTTPS://App.Example.com"),
          List.of("get"),
          List.of("x-api-key"),
          List.of(),
          600,
          true);

  private Api api() {
    return t.write(
        tx -> t.u.apis().create(tx, new CreateApi("pets", "Pets", null, null, null, null)));
  }

  @Test
  void an_update_stores_the_canonical_form_and_audits_it() {
    Api api = api();

    Api after = t.write(tx -> t.u.apis().update(tx, api.id(), UpdateApi.of(api).withCors(CORS)));

    assertThat(after.corsConfiguration().allowOrigins()).containsExactly("https://app.example.com");
    assertThat(after.corsConfiguration().allowMethods()).containsExactly("GET");
    assertThat(t.write(tx -> t.u.apis().get(tx, api.id())).corsConfiguration())
        .isEqualTo(after.corsConfiguration());
    assertThat(t.cp.audit(t.tenant)).extracting(e -> e.action()).contains("api.update");
  }

  @Test
  void a_broken_rule_is_a_validation_failure_that_changes_nothing() {
    Api api = api();
    int audited = t.cp.audit(t.tenant).size();
    CorsConfiguration wildcardWithCredentials =
        new CorsConfiguration(List.of("*"), null, null, null, null, true);

    ApiFailure failure =
        t.failure(
            tx ->
                t.u
                    .apis()
                    .update(tx, api.id(), UpdateApi.of(api).withCors(wildcardWithCredentials)));

    assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
    assertThat(failure.errors())
        .extracting(FieldError::pointer)
        .containsExactly("/corsConfiguration/allowCredentials");
    assertThat(t.write(tx -> t.u.apis().get(tx, api.id())).corsConfiguration()).isNull();
    assertThat(t.cp.audit(t.tenant)).hasSize(audited);
  }

  @Test
  void an_api_without_cors_freezes_to_the_json_it_froze_to_before_cors_existed() {
    Api api = api();
    var frozen = DefinitionFreezer.freeze(api, List.of(), List.of(), Map.of(), Map.of(), List.of());
    assertThat(frozen.canonicalJson()).doesNotContain("cors");

    Api withCors = t.write(tx -> t.u.apis().update(tx, api.id(), UpdateApi.of(api).withCors(CORS)));
    var frozenWithCors =
        DefinitionFreezer.freeze(withCors, List.of(), List.of(), Map.of(), Map.of(), List.of());
    assertThat(frozenWithCors.definition().cors()).isEqualTo(withCors.corsConfiguration());
    assertThat(frozenWithCors.hash()).isNotEqualTo(frozen.hash());
  }

  @Test
  void the_snapshot_codec_carries_it_to_the_gateway() {
    CorsConfiguration canonical = CORS.normalized();
    assertThat(canonical.problems()).isEmpty();
    DeploymentSnapshot snapshot =
        DeploymentSnapshot.builder()
            .tenantId("t")
            .tenantSlug("acme")
            .apiId("a")
            .apiSlug("pets")
            .stage("prod")
            .deploymentId("d")
            .hash("0".repeat(64))
            .deployedAt(java.time.Instant.EPOCH)
            .edge(new dev.turnpike.contracts.config.EdgeConfig(canonical, null, null))
            .build();
    assertThat(
            DeploymentSnapshot.CODEC
                .decode(DeploymentSnapshot.CODEC.encode(snapshot))
                .edge()
                .cors())
        .isEqualTo(canonical);
  }
}
