package dev.turnpike.contracts;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.turnpike.testkit.architecture.ArchitectureRules;
import dev.turnpike.testkit.architecture.ModuleClasses;
import dev.turnpike.testkit.architecture.PackageCycles;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * contracts' own main classes: no package cycles, and all of them are domain. The module is the
 * wire rules and records every service shares (topics, config and usage records, settings, egress
 * and logging rules); it uses neither jOOQ nor Vert.x today, has neither on its classpath, and must
 * not start to, because every service (also the ones without a database) depends on it.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ModuleClasses.of(Topics.class);

  @Test
  void has_no_package_cycles() {
    PackageCycles.assertNone(CLASSES);
  }

  @Test
  void every_package_is_free_of_jooq_and_vertx() {
    ArchitectureRules.assertDomainFreeOfInfrastructure(CLASSES, Set.of("dev.turnpike.."));
  }
}
