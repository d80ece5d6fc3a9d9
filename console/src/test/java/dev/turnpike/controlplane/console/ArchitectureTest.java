package dev.turnpike.controlplane.console;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.turnpike.testkit.architecture.ModuleClasses;
import dev.turnpike.testkit.architecture.PackageCycles;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The owner console's own classes. The database is kept out by the build (jOOQ, the generated
 * classes and the migrations are not on this module's compile classpath); this test keeps its
 * package cycles from growing.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ModuleClasses.of(Console.class);

  /**
   * The console's one known cycle, carried over from when it lived in control-plane: the pages
   * reach back into the console's wiring and sign-in. This list may only shrink (a fixed cycle
   * fails as GONE: delete its line).
   */
  static final Set<String> CYCLES_TO_FIX =
      Set.of(
          "dev.turnpike.controlplane.console <-> dev.turnpike.controlplane.console.oidc"
              + " <-> dev.turnpike.controlplane.console.pages"
              + " <-> dev.turnpike.controlplane.console.web");

  @Test
  void has_no_package_cycles_but_the_known_one() {
    PackageCycles.assertExactly(CLASSES, CYCLES_TO_FIX);
  }
}
