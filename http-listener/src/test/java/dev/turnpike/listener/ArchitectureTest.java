package dev.turnpike.listener;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.turnpike.testkit.architecture.ArchitectureRules;
import dev.turnpike.testkit.architecture.ModuleClasses;
import dev.turnpike.testkit.architecture.PackageCycles;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shared HTTP listener's own main classes: no package cycles, and no database. It is the Vert.x
 * and Netty guard every service's server starts through, so Vert.x is its point and none of it is
 * "domain"; it never touches a database.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ModuleClasses.of(ListenerGuard.class);

  @Test
  void has_no_package_cycles() {
    PackageCycles.assertNone(CLASSES);
  }

  @Test
  void uses_no_database() {
    ArchitectureRules.assertNoUse(
        CLASSES,
        Set.of("dev.turnpike.listener.."),
        List.of("org.jooq..", "dev.turnpike.db.."),
        Set.of());
  }
}
