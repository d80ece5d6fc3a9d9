package dev.turnpike.platform;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.turnpike.testkit.architecture.ModuleClasses;
import dev.turnpike.testkit.architecture.PackageCycles;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The local platform launcher's own main classes: no new package cycle. It starts processes and
 * embedded servers, so it has no domain packages to keep free of jOOQ or Vert.x.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ModuleClasses.of(PlatformMain.class);

  /**
   * The launcher's one cycle today: the subpackages use the root's {@code PlatformException} and
   * settings records while the root starts them. This list may only shrink: a new cycle fails the
   * build, and so does a listed one that is gone (then delete its line).
   */
  static final Set<String> CYCLES_TO_FIX =
      Set.of(
          "dev.turnpike.platform <-> dev.turnpike.platform.demo <-> dev.turnpike.platform.kafka"
              + " <-> dev.turnpike.platform.keycloak <-> dev.turnpike.platform.postgres"
              + " <-> dev.turnpike.platform.process");

  @Test
  void has_no_package_cycles_but_the_known_one() {
    PackageCycles.assertExactly(CLASSES, CYCLES_TO_FIX);
  }
}
