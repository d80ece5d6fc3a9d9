package dev.turnpike.controlplane;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.turnpike.testkit.architecture.ArchitectureRules;
import dev.turnpike.testkit.architecture.ModuleClasses;
import dev.turnpike.testkit.architecture.PackageCycles;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The control plane's own main classes: no new package cycle, and its feature packages free of jOOQ
 * and Vert.x except for the offenders listed to be fixed.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ModuleClasses.of(ControlPlane.class);

  /**
   * The cycles the control plane has today, each a group of packages that reach one another. This
   * list may only shrink: a new cycle fails the build, and so does a listed one that is gone (then
   * delete its line).
   */
  static final Set<String> CYCLES_TO_FIX =
      Set.of(
          "dev.turnpike.controlplane.audit <-> dev.turnpike.controlplane.audit.impl"
              + " <-> dev.turnpike.controlplane.tenant <-> dev.turnpike.controlplane.tx"
              + " <-> dev.turnpike.controlplane.tx.impl",
          "dev.turnpike.controlplane.deployment <-> dev.turnpike.controlplane.openapi"
              + " <-> dev.turnpike.controlplane.plan",
          "dev.turnpike.controlplane.openapi.web <-> dev.turnpike.controlplane.web",
          "dev.turnpike.controlplane.outbox <-> dev.turnpike.controlplane.outbox.impl",
          "dev.turnpike.controlplane.portal <-> dev.turnpike.controlplane.portal.impl"
              + " <-> dev.turnpike.controlplane.portal.web");

  /**
   * Domain: each feature's use cases, records and store ports (the {@code impl} subpackages are
   * their jOOQ stores; {@code web}, {@code console} and the {@code *.web} packages are HTTP; {@code
   * db}, {@code tx} and {@code outbox} are the database and the relay to Kafka). The limit and
   * problem packages live in {@code control-plane-model}, whose build bans jOOQ and Vert.x.
   */
  static final Set<String> DOMAIN =
      Set.of(
          "dev.turnpike.controlplane.api",
          "dev.turnpike.controlplane.apikey",
          "dev.turnpike.controlplane.app",
          "dev.turnpike.controlplane.audit",
          "dev.turnpike.controlplane.auth",
          "dev.turnpike.controlplane.deployment",
          "dev.turnpike.controlplane.json",
          "dev.turnpike.controlplane.openapi",
          "dev.turnpike.controlplane.plan",
          "dev.turnpike.controlplane.portal",
          "dev.turnpike.controlplane.tenant",
          "dev.turnpike.controlplane.usage");

  /**
   * Domain classes that still use jOOQ or Vert.x; this list may only shrink. The JWKS verifier
   * fetches keys over Vert.x's HTTP client (an adapter: it belongs in {@code auth.impl}); the
   * portal's developer transactor opens jOOQ transactions (it belongs with {@code tx}); the portal
   * feature's wiring registers the portal's jOOQ stores (it belongs in {@code portal.impl}).
   */
  static final Set<String> DOMAIN_OFFENDERS_TO_FIX =
      Set.of(
          "dev.turnpike.controlplane.auth.JwksTokenVerifier",
          "dev.turnpike.controlplane.portal.DeveloperTransactor",
          "dev.turnpike.controlplane.portal.PortalFeature");

  @Test
  void has_no_package_cycles_but_the_known_ones() {
    PackageCycles.assertExactly(CLASSES, CYCLES_TO_FIX);
  }

  @Test
  void domain_is_free_of_jooq_and_vertx_but_the_known_offenders() {
    ArchitectureRules.assertDomainFreeOfInfrastructureExcept(
        CLASSES, DOMAIN, DOMAIN_OFFENDERS_TO_FIX);
  }
}
