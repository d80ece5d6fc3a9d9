package dev.turnpike.metering;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.turnpike.metering.node.MeteringMain;
import dev.turnpike.testkit.architecture.ArchitectureRules;
import dev.turnpike.testkit.architecture.ModuleClasses;
import dev.turnpike.testkit.architecture.PackageCycles;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Metering's own main classes: no package cycles at all, and its domain free of jOOQ and Vert.x.
 *
 * <p>Domain here is the metering and billing rules with their ports: usage aggregation, quota
 * decisions, rating, invoicing, checkout, the Stripe rules (meter sync, webhook handling) and the
 * billing problem they report. Their {@code impl} subpackages are the jOOQ and Stripe adapters;
 * {@code billing} (the HTTP API and the wiring) and {@code node} (the process) are where Vert.x
 * belongs.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ModuleClasses.of(MeteringMain.class);

  @Test
  void has_no_package_cycles() {
    PackageCycles.assertNone(CLASSES);
  }

  @Test
  void domain_is_free_of_jooq_and_vertx() {
    ArchitectureRules.assertDomainFreeOfInfrastructure(
        CLASSES,
        Set.of(
            "dev.turnpike.metering.aggregation",
            "dev.turnpike.metering.quota",
            "dev.turnpike.metering.rating",
            "dev.turnpike.metering.invoice",
            "dev.turnpike.metering.checkout",
            "dev.turnpike.metering.stripe",
            "dev.turnpike.metering.webhook",
            "dev.turnpike.metering.problem"));
  }
}
