package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QuotaCalendarTest {

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  private static QuotaWindow window(QuotaPeriod period, String instant) {
    return QuotaCalendar.windowContaining(period, at(instant));
  }

  @Nested
  class Windows {
    @Test
    void a_day_runs_from_utc_midnight_to_the_next() {
      assertThat(window(QuotaPeriod.DAY, "2026-11-21T23:59:59.999Z"))
          .isEqualTo(new QuotaWindow(at("2026-11-21T00:00:00Z"), at("2026-11-22T00:00:00Z")));
    }

    @Test
    void midnight_itself_opens_the_new_day() {
      assertThat(window(QuotaPeriod.DAY, "2026-11-22T00:00:00Z").start())
          .isEqualTo(at("2026-11-22T00:00:00Z"));
    }

    @Test
    void a_week_runs_from_monday_to_monday_as_the_gateway_counts_it() {
      // 2026-11-22 is a Sunday: it belongs to the week that began on Monday the 16th.
      assertThat(window(QuotaPeriod.WEEK, "2026-11-22T12:00:00Z"))
          .isEqualTo(new QuotaWindow(at("2026-11-16T00:00:00Z"), at("2026-11-23T00:00:00Z")));
      assertThat(window(QuotaPeriod.WEEK, "2026-11-23T00:00:00Z").start())
          .isEqualTo(at("2026-11-23T00:00:00Z"));
    }

    @Test
    void a_week_may_span_two_years() {
      assertThat(window(QuotaPeriod.WEEK, "2027-01-01T08:00:00Z"))
          .isEqualTo(new QuotaWindow(at("2026-12-28T00:00:00Z"), at("2027-01-04T00:00:00Z")));
    }

    @Test
    void a_month_runs_from_the_first_to_the_first_whatever_its_length() {
      assertThat(window(QuotaPeriod.MONTH, "2028-02-29T23:00:00Z"))
          .isEqualTo(new QuotaWindow(at("2028-02-01T00:00:00Z"), at("2028-03-01T00:00:00Z")));
      assertThat(window(QuotaPeriod.MONTH, "2026-12-31T23:59:59Z"))
          .isEqualTo(new QuotaWindow(at("2026-12-01T00:00:00Z"), at("2027-01-01T00:00:00Z")));
    }
  }

  @Nested
  class Boundaries {
    @Test
    void the_next_boundary_is_the_next_utc_midnight() {
      assertThat(QuotaCalendar.nextBoundaryAfter(at("2026-11-21T23:01:00Z")))
          .isEqualTo(at("2026-11-22T00:00:00Z"));
    }

    @Test
    void a_boundary_is_strictly_after_the_instant() {
      assertThat(QuotaCalendar.nextBoundaryAfter(at("2026-11-22T00:00:00Z")))
          .isEqualTo(at("2026-11-23T00:00:00Z"));
    }
  }
}
