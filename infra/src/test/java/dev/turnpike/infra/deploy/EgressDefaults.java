package dev.turnpike.infra.deploy;

import dev.turnpike.controlplane.ControlPlaneSettings;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.HostLiteral;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.gateway.node.NodeSettings;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;

/**
 * What a deployment file must keep: the gateway and the control plane on the strict egress default,
 * so no tenant's integration reaches loopback, the metadata service or the cluster's own network
 * unless an operator grants it. The trial policy is for {@code turnpike up} only.
 */
final class EgressDefaults {
  private EgressDefaults() {}

  /** Checks the policies the environments of {@code environment} (by service name) give. */
  static void assertStrict(Function<String, Map<String, String>> environment, SoftAssertions soft) {
    for (String service : List.of("gateway", "control-plane", "metering", "portal")) {
      soft.assertThat(environment.apply(service).getOrDefault("TURNPIKE_EGRESS_POLICY", "strict"))
          .as("%s TURNPIKE_EGRESS_POLICY", service)
          .isEqualToIgnoringCase("strict");
    }
    assertRefusesInternalTargets(
        "gateway",
        NodeSettings.fromEnvironment(environment.apply("gateway"))
            .egress()
            .policy(MachineNetwork.SYSTEM, List.of()),
        soft);
    assertRefusesInternalTargets(
        "control-plane",
        ControlPlaneSettings.fromEnvironment(environment.apply("control-plane"))
            .egress()
            .policy(MachineNetwork.SYSTEM, List.of()),
        soft);
  }

  private static void assertRefusesInternalTargets(
      String service, EgressPolicy policy, SoftAssertions soft) {
    soft.assertThat(policy.mode())
        .as("%s egress mode", service)
        .isEqualTo(EgressPolicy.Mode.STRICT);
    for (String address : List.of("127.0.0.1", "::1", "169.254.169.254", "10.0.0.1")) {
      soft.assertThat(policy.check("any-tenant", HostLiteral.parse(address), 80).allowed())
          .as("%s lets a tenant reach %s", service, address)
          .isFalse();
    }
  }
}
