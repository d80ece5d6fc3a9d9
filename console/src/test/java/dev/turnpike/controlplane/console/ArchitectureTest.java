package dev.turnpike.controlplane.console;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.turnpike.testkit.architecture.ModuleClasses;
import dev.turnpike.testkit.architecture.PackageCycles;
import org.junit.jupiter.api.Test;

/**
 * The owner console's own classes. The database is kept out by the build (jOOQ, the generated
 * classes and the migrations are not on this module's compile classpath); this test keeps its
 * packages free of cycles (the one carried over from control-plane is gone).
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ModuleClasses.of(Console.class);

  @Test
  void has_no_package_cycles() {
    PackageCycles.assertNone(CLASSES);
  }
}
