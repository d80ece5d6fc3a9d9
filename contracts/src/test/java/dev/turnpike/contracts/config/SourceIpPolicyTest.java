package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceIpPolicyTest {
  @Test
  void valid_ipv4_and_ipv6_blocks_and_single_addresses_have_no_problem() {
    assertThat(
            new SourceIpPolicy(
                    List.of("203.0.113.0/24", "2001:db8::/32", "198.51.100.7"),
                    List.of("::1", "0.0.0.0/0"))
                .problem())
        .isNull();
  }

  @Test
  void the_first_bad_entry_is_named_with_its_list_and_index() {
    assertThat(new SourceIpPolicy(List.of("10.0.0.0/8", "10.0.0.0/33"), List.of()).problem())
        .startsWith("allowCidrs[1]")
        .contains("at most 32");
    assertThat(new SourceIpPolicy(List.of(), List.of("example.com")).problem())
        .startsWith("denyCidrs[0]")
        .contains("example.com");
    assertThat(new SourceIpPolicy(List.of(), Collections.singletonList(null)).problem())
        .startsWith("denyCidrs[0] is empty");
    assertThat(new SourceIpPolicy(List.of("10.1.2.3/16"), List.of()).problem())
        .contains("did you mean 10.1.0.0/16");
  }

  @Test
  void more_blocks_than_the_limit_are_refused() {
    List<String> many = Collections.nCopies(SourceIpPolicy.MAX_CIDRS + 1, "10.0.0.1");
    assertThat(new SourceIpPolicy(many, List.of()).problem()).contains("at most 500");
  }

  @Test
  void an_apis_and_a_stages_rules_add_up_without_duplicates() {
    SourceIpPolicy api = new SourceIpPolicy(List.of("10.0.0.0/8"), List.of("10.9.0.0/16"));
    SourceIpPolicy stage = new SourceIpPolicy(List.of("10.0.0.0/8", "192.0.2.0/24"), List.of());

    assertThat(SourceIpPolicy.merge(api, stage))
        .isEqualTo(
            new SourceIpPolicy(List.of("10.0.0.0/8", "192.0.2.0/24"), List.of("10.9.0.0/16")));
    assertThat(SourceIpPolicy.merge(null, stage)).isEqualTo(stage);
  }

  @Test
  void no_rules_on_either_side_merge_to_none() {
    assertThat(SourceIpPolicy.merge(null, null)).isNull();
    assertThat(SourceIpPolicy.merge(new SourceIpPolicy(null, null), null)).isNull();
  }

  @Test
  void the_compression_size_is_held_to_api_gateways_range() {
    assertThat(CompressionConfig.minimumSizeProblem(null)).isNull();
    assertThat(CompressionConfig.minimumSizeProblem(0)).isNull();
    assertThat(CompressionConfig.minimumSizeProblem(10_485_760)).isNull();
    assertThat(CompressionConfig.minimumSizeProblem(-1)).isNotNull();
    assertThat(CompressionConfig.minimumSizeProblem(10_485_761)).isNotNull();
    assertThat(CompressionConfig.of(null, false)).isNull();
  }
}
