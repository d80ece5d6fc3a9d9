package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.controlplane.ControlPlane;
import dev.turnpike.controlplane.ControlPlaneSettings;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.apikey.ApiKeyStore;
import dev.turnpike.controlplane.app.AppStore;
import dev.turnpike.controlplane.audit.AuditStore;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.openapi.OpenApiStore;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.tenant.TenantStore;
import dev.turnpike.controlplane.tx.Stores;
import dev.turnpike.egress.MachineNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wiring that is wrong fails when the use cases are wired, naming what is missing. */
class ControlPlaneWiringTest {
  private static final ControlPlaneSettings SETTINGS =
      ControlPlaneSettings.fromEnvironment(MemoryControlPlane.minimalEnvironment());

  @Test
  void wires_every_use_case_when_every_store_is_registered() {
    assertThat(
            ControlPlane.useCases(
                SETTINGS, MemoryControlPlane.stores(), userId -> List.of(), MachineNetwork.SYSTEM))
        .hasNoNullFieldsOrProperties();
  }

  @Test
  void a_missing_store_fails_the_wiring_naming_the_store() {
    Stores<MemoryDb.Tx> withoutPlans =
        new Stores<MemoryDb.Tx>()
            .register(TenantStore.class, MemoryTenantStore::new)
            .register(AuditStore.class, MemoryAudit::new)
            .register(ApiStore.class, MemoryApiStore::new)
            .register(DeploymentStore.class, MemoryDeploymentStore::new)
            .register(AppStore.class, MemoryAppStore::new)
            .register(ApiKeyStore.class, MemoryApiKeyStore::new)
            .register(OpenApiStore.class, MemoryOpenApiStore::new);

    assertThatThrownBy(
            () ->
                ControlPlane.useCases(
                    SETTINGS, withoutPlans, userId -> List.of(), MachineNetwork.SYSTEM))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(PlanStore.class.getName());
  }
}
