package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.turnpike.controlplane.alarm.Alarm;
import dev.turnpike.controlplane.alarm.AlarmMetric;
import dev.turnpike.controlplane.alarm.AlarmMetric.WindowTotals;
import dev.turnpike.controlplane.alarm.AlarmSpec;
import dev.turnpike.controlplane.alarm.Alarms;
import dev.turnpike.controlplane.alarm.Comparison;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Apis.CreateApi;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rules of alarms, on in-memory stores, and how their metrics are computed. */
class AlarmUseCasesTest {
  private final Tenancy t = new Tenancy();

  private Api api(String slug) {
    return t.write(tx -> t.u.apis().create(tx, new CreateApi(slug, slug, null, null, null, null)));
  }

  static AlarmSpec spec(String name, String webhook) {
    return new AlarmSpec(name, "prod", "errors_5xx", "ge", 1.0, 5, webhook, null);
  }

  private ApiFailure refused(Api api, AlarmSpec spec) {
    return catchThrowableOfType(
        ApiFailure.class, () -> t.write(tx -> t.u.alarms().create(tx, api.id(), spec)));
  }

  @Nested
  class Saving {
    @Test
    void every_missing_field_is_named_at_once() {
      ApiFailure failure =
          refused(api("pets"), new AlarmSpec(null, null, null, null, null, null, null, null));

      assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
      assertThat(failure.errors())
          .extracting(FieldError::pointer)
          .containsExactlyInAnyOrder(
              "/name",
              "/stage",
              "/metric",
              "/comparison",
              "/threshold",
              "/windowMinutes",
              "/webhookUrl");
    }

    @Test
    void a_stage_that_is_no_stage_name_is_refused() {
      Api api = api("pets");
      AlarmSpec quoted =
          new AlarmSpec(
              "a",
              "prod\",tenant=~\".+",
              "errors_5xx",
              "ge",
              1.0,
              5,
              "https://hooks.example.com/",
              null);

      assertThat(refused(api, quoted).errors())
          .extracting(FieldError::pointer)
          .containsExactly("/stage");
    }

    @Test
    void a_new_alarm_answers_its_signing_secret_once_and_a_rotation_a_new_one() {
      Api api = api("pets");
      Alarm created =
          t.write(tx -> t.u.alarms().create(tx, api.id(), spec("a", "https://hooks.example.com/")));

      assertThat(created.signingSecret()).startsWith("whsec_");
      assertThat(created.signed()).isTrue();
      Alarm read = t.write(tx -> t.u.alarms().get(tx, api.id(), created.id()));
      assertThat(read.signingSecret()).isNull();
      assertThat(read.toString()).doesNotContain("whsec_");
      Alarm rotated = t.write(tx -> t.u.alarms().rotateSigningSecret(tx, api.id(), created.id()));
      assertThat(rotated.signingSecret())
          .startsWith("whsec_")
          .isNotEqualTo(created.signingSecret());
    }

    @Test
    void a_webhook_at_a_private_address_is_refused_with_the_egress_policys_reason() {
      ApiFailure failure = refused(api("pets"), spec("a", "https://10.1.2.3/hook"));

      assertThat(failure.errors())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.pointer()).isEqualTo("/webhookUrl");
                assertThat(e.message()).contains("egress policy");
              });
    }

    @Test
    void a_name_is_taken_once_per_api_and_an_api_holds_at_most_twenty() {
      Api api = api("pets");
      t.write(tx -> t.u.alarms().create(tx, api.id(), spec("a", "https://hooks.example.com/")));

      assertThat(refused(api, spec("a", "https://hooks.example.com/")).kind())
          .isEqualTo(ProblemKind.CONFLICT);
      for (int i = 1; i < Alarms.MAX_PER_API; i++) {
        String name = "n" + i;
        t.write(tx -> t.u.alarms().create(tx, api.id(), spec(name, "https://hooks.example.com/")));
      }
      assertThat(refused(api, spec("one-more", "https://hooks.example.com/")).kind())
          .isEqualTo(ProblemKind.CONFLICT);
    }

    @Test
    void an_update_keeps_the_state_and_an_unknown_alarm_is_404() {
      Api api = api("pets");
      Alarm created =
          t.write(tx -> t.u.alarms().create(tx, api.id(), spec("a", "https://hooks.example.com/")));

      Alarm updated =
          t.write(
              tx ->
                  t.u
                      .alarms()
                      .update(
                          tx,
                          api.id(),
                          created.id(),
                          new AlarmSpec(
                              "a",
                              "prod",
                              "requests",
                              "lt",
                              3.0,
                              60,
                              "https://h.example.com/",
                              false)));

      assertThat(updated.state()).isEqualTo(Alarm.OK);
      assertThat(updated.enabled()).isFalse();
      assertThat(updated.createdAt()).isEqualTo(created.createdAt());
      ApiFailure missing =
          catchThrowableOfType(
              ApiFailure.class,
              () -> t.write(tx -> t.u.alarms().get(tx, api.id(), UUID.randomUUID())));
      assertThat(missing.kind()).isEqualTo(ProblemKind.NOT_FOUND);
    }
  }

  @Nested
  class Metrics {
    WindowTotals totals = new WindowTotals(200, 30, 10, 40_000_000, 900_000);

    @Test
    void are_counts_a_percentage_and_latencies_in_milliseconds() {
      assertThat(AlarmMetric.REQUESTS.valueOf(totals)).isEqualTo(200);
      assertThat(AlarmMetric.ERRORS_4XX.valueOf(totals)).isEqualTo(30);
      assertThat(AlarmMetric.ERRORS_5XX.valueOf(totals)).isEqualTo(10);
      assertThat(AlarmMetric.ERROR_RATE_5XX.valueOf(totals)).isEqualTo(5.0);
      assertThat(AlarmMetric.LATENCY_MEAN_MS.valueOf(totals)).isEqualTo(200.0);
      assertThat(AlarmMetric.LATENCY_MAX_MS.valueOf(totals)).isEqualTo(900.0);
    }

    @Test
    void a_window_without_calls_has_a_zero_rate_and_latency() {
      WindowTotals none = new WindowTotals(0, 0, 0, 0, 0);
      assertThat(AlarmMetric.ERROR_RATE_5XX.valueOf(none)).isZero();
      assertThat(AlarmMetric.LATENCY_MEAN_MS.valueOf(none)).isZero();
    }

    @Test
    void comparisons_hold_at_the_threshold_only_when_inclusive() {
      assertThat(Comparison.GT.holds(5, 5)).isFalse();
      assertThat(Comparison.GE.holds(5, 5)).isTrue();
      assertThat(Comparison.LT.holds(5, 5)).isFalse();
      assertThat(Comparison.LE.holds(5, 5)).isTrue();
      assertThat(Comparison.LT.holds(4.9, 5)).isTrue();
    }
  }
}
