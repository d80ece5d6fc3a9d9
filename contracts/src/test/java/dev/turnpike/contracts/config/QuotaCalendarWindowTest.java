package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QuotaCalendarWindowTest {

  private static QuotaWindow window(String start, String end) {
    return new QuotaWindow(Instant.parse(start), Instant.parse(end));
  }

  @Nested
  class Day {

    @Test
    void runs_from_midnight_to_midnight_utc() {
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.DAY, Instant.parse("2025-03-14T15:09:26Z")))
          .isEqualTo(window("2025-03-14T00:00:00Z", "2025-03-15T00:00:00Z"));
    }

    @Test
    void midnight_starts_the_new_day_and_the_last_nanosecond_ends_the_old() {
      assertThat(
              QuotaCalendar.windowContaining(QuotaPeriod.DAY, Instant.parse("2025-03-15T00:00:00Z"))
                  .start())
          .isEqualTo(Instant.parse("2025-03-15T00:00:00Z"));
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.DAY, Instant.parse("2025-03-14T23:59:59.999999999Z")))
          .isEqualTo(window("2025-03-14T00:00:00Z", "2025-03-15T00:00:00Z"));
    }

    @Test
    void works_before_the_epoch() {
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.DAY, Instant.parse("1969-12-31T12:00:00Z")))
          .isEqualTo(window("1969-12-31T00:00:00Z", "1970-01-01T00:00:00Z"));
    }
  }

  @Nested
  class Week {

    @Test
    void starts_on_monday() {
      // 2025-03-14 is a Friday.
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.WEEK, Instant.parse("2025-03-14T15:00:00Z")))
          .isEqualTo(window("2025-03-10T00:00:00Z", "2025-03-17T00:00:00Z"));
    }

    @Test
    void sunday_night_belongs_to_the_week_that_started_on_monday() {
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.WEEK, Instant.parse("2025-03-16T23:59:59Z")))
          .isEqualTo(window("2025-03-10T00:00:00Z", "2025-03-17T00:00:00Z"));
    }

    @Test
    void monday_midnight_starts_a_new_week() {
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.WEEK, Instant.parse("2025-03-17T00:00:00Z")))
          .isEqualTo(window("2025-03-17T00:00:00Z", "2025-03-24T00:00:00Z"));
    }

    @Test
    void spans_a_year_boundary() {
      // 2024-12-30 is a Monday.
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.WEEK, Instant.parse("2025-01-01T08:00:00Z")))
          .isEqualTo(window("2024-12-30T00:00:00Z", "2025-01-06T00:00:00Z"));
    }
  }

  @Nested
  class Month {

    @Test
    void starts_on_the_first() {
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.MONTH, Instant.parse("2025-03-14T15:00:00Z")))
          .isEqualTo(window("2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z"));
    }

    @Test
    void end_of_a_31_day_month_belongs_to_that_month() {
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.MONTH, Instant.parse("2025-01-31T23:59:59Z")))
          .isEqualTo(window("2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z"));
    }

    @Test
    void february_of_a_leap_year_has_29_days() {
      QuotaWindow february =
          QuotaCalendar.windowContaining(QuotaPeriod.MONTH, Instant.parse("2024-02-29T12:00:00Z"));

      assertThat(february).isEqualTo(window("2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"));
    }

    @Test
    void february_of_a_common_year_has_28_days() {
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.MONTH, Instant.parse("2025-02-28T23:59:59Z")))
          .isEqualTo(window("2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z"));
    }

    @Test
    void december_ends_at_the_new_year() {
      assertThat(
              QuotaCalendar.windowContaining(
                  QuotaPeriod.MONTH, Instant.parse("2025-12-31T23:59:59Z")))
          .isEqualTo(window("2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z"));
    }
  }

  @Nested
  class Windows {

    private final QuotaWindow march = window("2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z");

    @Test
    void include_their_start_and_exclude_their_end() {
      assertThat(march.contains(Instant.parse("2025-03-01T00:00:00Z"))).isTrue();
      assertThat(march.contains(Instant.parse("2025-03-31T23:59:59.999Z"))).isTrue();
      assertThat(march.contains(Instant.parse("2025-04-01T00:00:00Z"))).isFalse();
      assertThat(march.contains(Instant.parse("2025-02-28T23:59:59Z"))).isFalse();
    }

    @Test
    void reject_an_end_not_after_the_start() {
      Instant instant = Instant.parse("2025-03-01T00:00:00Z");

      assertThatThrownBy(() -> new QuotaWindow(instant, instant))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be before its end");
    }
  }
}
