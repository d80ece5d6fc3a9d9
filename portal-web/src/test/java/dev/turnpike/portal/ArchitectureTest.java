package dev.turnpike.portal;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.turnpike.testkit.architecture.ArchitectureRules;
import dev.turnpike.testkit.architecture.ModuleClasses;
import dev.turnpike.testkit.architecture.PackageCycles;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The developer portal's own main classes: no package cycles, and no database. The portal is a web
 * front end through and through (every package uses Vert.x by design, so none is "domain" here); it
 * reads and writes data only through the control plane's API. Its sessions' store is the one
 * exception, and only {@link PortalSessions} opens it (see the package's documentation).
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ModuleClasses.of(PortalMain.class);

  @Test
  void has_no_package_cycles() {
    PackageCycles.assertNone(CLASSES);
  }

  @Test
  void uses_no_database() {
    ArchitectureRules.assertNoUse(
        CLASSES,
        Set.of("dev.turnpike.portal.."),
        List.of("org.jooq..", "dev.turnpike.db.."),
        Set.of());
  }

  @Test
  void only_the_session_store_opens_a_database_connection() {
    ArchitectureRules.assertNoUse(
        CLASSES,
        Set.of("dev.turnpike.portal.."),
        List.of("java.sql..", "javax.sql..", "com.zaxxer..", "org.postgresql.."),
        Set.of("dev.turnpike.portal.PortalSessions"));
  }
}
