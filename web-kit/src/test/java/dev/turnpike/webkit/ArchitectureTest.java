package dev.turnpike.webkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.turnpike.testkit.architecture.ArchitectureRules;
import dev.turnpike.testkit.architecture.ModuleClasses;
import dev.turnpike.testkit.architecture.PackageCycles;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The web kit's own classes: no package cycles, and nothing of the sites that use it (the console,
 * the portal, the control plane) nor of a database: it is shared plumbing, not a feature.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ModuleClasses.of(CsrfGuard.class);

  @Test
  void has_no_package_cycles() {
    PackageCycles.assertNone(CLASSES);
  }

  @Test
  void knows_no_site_and_no_database() {
    ArchitectureRules.assertNoUse(
        CLASSES,
        Set.of("dev.turnpike.webkit.."),
        List.of(
            "dev.turnpike.controlplane..",
            "dev.turnpike.portal..",
            "org.jooq..",
            "dev.turnpike.db.."),
        Set.of());
  }
}
