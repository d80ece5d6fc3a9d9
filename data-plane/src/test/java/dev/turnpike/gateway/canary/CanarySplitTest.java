package dev.turnpike.gateway.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CanarySplitTest {
  static final long WINDOW = 60_000;
  static final long NOW = 1_765_000_000_000L;

  @Test
  void splits_many_callers_at_the_setting_to_a_tenth_of_a_percent() {
    for (int permille : new int[] {1, 100, 255, 500, 999}) {
      CanarySplit split = new CanarySplit("t/api/prod", permille, WINDOW);
      int canary = 0;
      int callers = 100_000;
      for (int i = 0; i < callers; i++) {
        if (split.isCanary("caller-" + i, NOW)) {
          canary++;
        }
      }
      // 100,000 draws: the binomial's standard deviation is at most 158, so 5 sigma is 0.8%.
      assertThat((double) canary / callers * 1000)
          .as("permille " + permille)
          .isCloseTo(permille, org.assertj.core.data.Offset.offset(8.0));
    }
  }

  @Test
  void none_and_all_are_exact() {
    CanarySplit none = new CanarySplit("t/api/prod", 0, WINDOW);
    CanarySplit all = new CanarySplit("t/api/prod", 1000, WINDOW);
    for (int i = 0; i < 1000; i++) {
      assertThat(none.isCanary("c" + i, NOW + i)).isFalse();
      assertThat(all.isCanary("c" + i, NOW + i)).isTrue();
    }
  }

  @Test
  void a_caller_keeps_its_side_for_its_whole_window() {
    CanarySplit split = new CanarySplit("t/api/prod", 300, WINDOW);
    for (int i = 0; i < 200; i++) {
      String caller = "10.0.0." + i;
      long start = split.windowStart(caller, NOW);
      assertThat(start).isBetween(NOW - WINDOW + 1, NOW);
      boolean side = split.isCanary(caller, start);
      for (long t = start; t < start + WINDOW; t += 997) {
        assertThat(split.isCanary(caller, t)).as(caller + " at " + t).isEqualTo(side);
      }
      assertThat(split.isCanary(caller, start + WINDOW - 1)).isEqualTo(side);
    }
  }

  @Test
  void callers_draw_again_in_later_windows_at_their_own_times() {
    CanarySplit split = new CanarySplit("t/api/prod", 500, WINDOW);
    int changed = 0;
    java.util.Set<Long> starts = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String caller = "key-" + i;
      starts.add(split.windowStart(caller, NOW));
      if (split.isCanary(caller, NOW) != split.isCanary(caller, NOW + 7 * WINDOW)) {
        changed++;
      }
    }
    // A fresh draw per window: about half change side at 50%; windows start at spread offsets.
    assertThat(changed).isBetween(400, 600);
    assertThat(starts).hasSizeGreaterThan(900);
  }

  @Test
  void stages_split_independently() {
    CanarySplit prod = new CanarySplit("t/api/prod", 500, WINDOW);
    CanarySplit beta = new CanarySplit("t/api/beta", 500, WINDOW);
    int same = 0;
    for (int i = 0; i < 1000; i++) {
      if (prod.isCanary("k" + i, NOW) == beta.isCanary("k" + i, NOW)) {
        same++;
      }
    }
    assertThat(same).isBetween(400, 600);
  }

  @Test
  void refuses_a_share_or_window_out_of_range() {
    assertThatThrownBy(() -> new CanarySplit("s", 1001, WINDOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CanarySplit("s", -1, WINDOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CanarySplit("s", 10, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
