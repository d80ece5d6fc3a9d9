package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An API's upstreams: the rules both the control plane and the nodes apply, and the codec. */
class UpstreamConfigTest {
  static final UpstreamHealthCheck CHECK = new UpstreamHealthCheck("/healthz", 5000, 1000, 2, 3);

  static UpstreamConfig upstream(String name, UpstreamTarget... targets) {
    return new UpstreamConfig(name, UpstreamBalancing.ROUND_ROBIN, List.of(targets), CHECK);
  }

  @Test
  void travels_to_the_nodes_in_the_deployment_snapshot() {
    UpstreamConfig upstream =
        new UpstreamConfig(
            "shop",
            UpstreamBalancing.LEAST_REQUESTS,
            List.of(new UpstreamTarget("https://a.example.com/base", 3)),
            CHECK);
    DeploymentSnapshot snapshot =
        FunctionTargetCodecTest.snapshot(
                new IntegrationConfig(
                    IntegrationType.HTTP_PROXY,
                    "ANY",
                    "upstream://shop/{proxy}",
                    1000,
                    29_000,
                    Map.of(),
                    null))
            .toBuilder()
            .upstreams(List.of(upstream))
            .build();

    String json = DeploymentSnapshot.CODEC.encodeToString(snapshot);

    assertThat(json).contains("\"balancing\":\"least_requests\"");
    DeploymentSnapshot decoded =
        DeploymentSnapshot.CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(decoded).isEqualTo(snapshot);
    assertThat(decoded.upstream("shop")).isEqualTo(upstream);
  }

  @Test
  void a_snapshot_written_before_upstreams_existed_reads_as_having_none() {
    String json = DeploymentSnapshot.CODEC.encodeToString(FunctionTargetCodecTest.snapshot(null));
    assertThat(json).doesNotContain("upstreams");

    assertThat(DeploymentSnapshot.CODEC.decode(json.getBytes(StandardCharsets.UTF_8)).upstreams())
        .isEmpty();
  }

  @Test
  void a_valid_upstream_has_no_problems() {
    assertThat(
            upstream(
                    "shop-1",
                    new UpstreamTarget("http://a.example.com:8080", 1),
                    new UpstreamTarget("https://[2001:db8::1]/v1", 1000))
                .problems())
        .isEmpty();
  }

  @Test
  void names_urls_weights_duplicates_and_ranges_are_refused_with_a_reason() {
    assertThat(upstream("Shop", new UpstreamTarget("http://a", 1)).problems())
        .singleElement()
        .asString()
        .startsWith("name");
    assertThat(upstream("shop").problems())
        .containsExactly("an upstream needs 1 to 32 targets, or discovery");
    assertThat(
            upstream(
                    "shop",
                    new UpstreamTarget("file:///etc/passwd", 1),
                    new UpstreamTarget("http://user:pw@a", 1),
                    new UpstreamTarget("http://a", 0),
                    new UpstreamTarget("http://b", 1),
                    new UpstreamTarget("http://b", 1))
                .problems())
        .hasSize(4)
        .anyMatch(p -> p.contains("file:///etc/passwd"))
        .anyMatch(p -> p.contains("user:pw@a"))
        .anyMatch(p -> p.contains("weight must be 1 to 1000"))
        .anyMatch(p -> p.contains("listed twice"));
    assertThat(
            new UpstreamConfig(
                    "shop",
                    null,
                    List.of(new UpstreamTarget("http://a", 1)),
                    new UpstreamHealthCheck("healthz", 500, 600, 0, 11))
                .problems())
        .hasSize(4);
  }

  @Test
  void srv_discovery_takes_port_and_weight_from_the_records_and_refuses_them_stated() {
    UpstreamConfig srv =
        new UpstreamConfig(
            "shop",
            null,
            List.of(),
            null,
            UpstreamDiscovery.srv("_http._tcp.shop.service.consul", "https", 60));
    assertThat(srv.problems()).isEmpty();

    assertThat(
            new UpstreamConfig(
                    "shop",
                    null,
                    List.of(),
                    null,
                    new UpstreamDiscovery("_http._tcp.shop.test", 8080, "http", 1, 60, "srv"))
                .problems())
        .containsExactly(
            "discovery.port and discovery.weight come from the SRV records; leave them out");
    assertThat(
            new UpstreamConfig(
                    "shop",
                    null,
                    List.of(),
                    null,
                    new UpstreamDiscovery("shop.test", 8080, "http", 1, 60, "mx"))
                .problems())
        .containsExactly("discovery.records must be a (A and AAAA records) or srv (SRV records)");
  }

  @Test
  void discovery_written_before_srv_records_existed_reads_as_a_records() {
    UpstreamConfig upstream =
        new UpstreamConfig(
            "shop", null, List.of(), null, new UpstreamDiscovery("shop.test", 80, "http", 1, 30));
    DeploymentSnapshot snapshot =
        FunctionTargetCodecTest.snapshot(null).toBuilder().upstreams(List.of(upstream)).build();
    String json = DeploymentSnapshot.CODEC.encodeToString(snapshot);
    assertThat(json).contains(",\"records\":\"a\"").doesNotContain("srvRecords");

    String old = json.replace(",\"records\":\"a\"", "");
    UpstreamDiscovery decoded =
        DeploymentSnapshot.CODEC
            .decode(old.getBytes(StandardCharsets.UTF_8))
            .upstream("shop")
            .discovery();

    assertThat(decoded.records()).isEqualTo(UpstreamDiscovery.A);
    assertThat(decoded).isEqualTo(upstream.discovery());
  }

  @Test
  void an_integration_uri_names_an_upstream_by_its_scheme() {
    assertThat(UpstreamConfig.nameIn("upstream://shop/api/{proxy}")).isEqualTo("shop");
    assertThat(UpstreamConfig.nameIn("UPSTREAM://shop?x=1")).isEqualTo("shop");
    assertThat(UpstreamConfig.nameIn("upstream://shop")).isEqualTo("shop");
    assertThat(UpstreamConfig.nameIn("https://shop/api")).isNull();
    assertThat(UpstreamConfig.nameIn(null)).isNull();
  }
}
