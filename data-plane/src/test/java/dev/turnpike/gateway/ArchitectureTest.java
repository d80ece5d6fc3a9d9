package dev.turnpike.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.turnpike.gateway.node.GatewayMain;
import dev.turnpike.testkit.architecture.ArchitectureRules;
import dev.turnpike.testkit.architecture.ModuleClasses;
import dev.turnpike.testkit.architecture.PackageCycles;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own main classes: no package cycles at all, and its domain free of jOOQ and Vert.x.
 *
 * <p>Domain here is what decides a request's fate from config alone: the config model and its apply
 * rules ({@code config}, {@code snapshot}), routing, the compiled runtime, throttling, quota
 * counting and usage records. None of them uses Vert.x today (the HTTP side, {@code http}, {@code
 * integration}, {@code validation}'s body reading, {@code forwarding}, {@code response}, {@code
 * admin} and {@code node}, is where Vert.x belongs), and the gateway has no database.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ModuleClasses.of(GatewayMain.class);

  @Test
  void has_no_package_cycles() {
    PackageCycles.assertNone(CLASSES);
  }

  @Test
  void domain_is_free_of_jooq_and_vertx() {
    ArchitectureRules.assertDomainFreeOfInfrastructure(
        CLASSES,
        Set.of(
            "dev.turnpike.gateway.config",
            "dev.turnpike.gateway.snapshot",
            "dev.turnpike.gateway.routing",
            "dev.turnpike.gateway.runtime",
            "dev.turnpike.gateway.throttle",
            "dev.turnpike.gateway.quota",
            "dev.turnpike.gateway.usage"));
  }
}
