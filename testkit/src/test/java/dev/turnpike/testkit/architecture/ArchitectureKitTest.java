package dev.turnpike.testkit.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.turnpike.contracts.Topics;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The kit's checks find what they are for on small fixture packages, so they cannot pass idly. */
class ArchitectureKitTest {
  private static final String FIXTURE = "dev.turnpike.testkit.architecture.fixture";
  private static final String CYCLE =
      FIXTURE + ".cycle.a <-> " + FIXTURE + ".cycle.b <-> " + FIXTURE + ".cycle.c";

  // Imported once: scanning the test classpath for a package is the slow part.
  private static final JavaClasses ALL_FIXTURES = new ClassFileImporter().importPackages(FIXTURE);

  private static JavaClasses fixture(String packageName) {
    return ALL_FIXTURES.that(
        JavaClass.Predicates.resideInAPackage(FIXTURE + "." + packageName + ".."));
  }

  @Nested
  class PackageCyclesCheck {
    @Test
    void finds_a_cycle_through_three_packages() {
      assertThat(PackageCycles.find(fixture("cycle"))).containsExactly(CYCLE);
    }

    @Test
    void fails_naming_the_cycle_and_the_dependencies_that_close_it() {
      assertThatThrownBy(() -> PackageCycles.assertNone(fixture("cycle")))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("CYCLE: " + CYCLE)
          .hasMessageContaining(FIXTURE + ".cycle.a -> " + FIXTURE + ".cycle.b")
          .hasMessageContaining(FIXTURE + ".cycle.c -> " + FIXTURE + ".cycle.a")
          .hasMessageContaining("Gamma.next()");
    }

    @Test
    void passes_packages_without_a_cycle() {
      assertThat(PackageCycles.find(fixture("acyclic"))).isEmpty();
      assertThatCode(() -> PackageCycles.assertNone(fixture("acyclic"))).doesNotThrowAnyException();
    }

    @Test
    void passes_a_listed_cycle_and_fails_on_an_unlisted_one() {
      JavaClasses both = ALL_FIXTURES;
      assertThatCode(() -> PackageCycles.assertExactly(both, Set.of(CYCLE)))
          .doesNotThrowAnyException();
      assertThatThrownBy(() -> PackageCycles.assertExactly(both, Set.of()))
          .hasMessageContaining("CYCLE: " + CYCLE);
    }

    @Test
    void names_a_listed_cycle_that_no_longer_exists_so_the_list_stays_exact() {
      assertThatThrownBy(() -> PackageCycles.assertExactly(fixture("acyclic"), Set.of(CYCLE)))
          .hasMessageContaining("GONE: " + CYCLE)
          .hasMessageNotContaining("CYCLE:");
    }

    @Test
    void refuses_an_empty_import() {
      assertThatThrownBy(() -> PackageCycles.assertNone(fixture("nothing.here")))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class ForbiddenUse {
    private final Set<String> domain = Set.of(FIXTURE + ".uses.domain");
    private final List<String> infra = List.of(FIXTURE + ".uses.infra..");
    private final String rule = FIXTURE + ".uses.domain.Rule";

    @Test
    void fails_naming_the_class_and_the_dependency() {
      assertThatThrownBy(
              () -> ArchitectureRules.assertNoUse(fixture("uses"), domain, infra, Set.of()))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(rule)
          .hasMessageContaining("Tool.work()")
          .hasMessageNotContaining("Clean");
    }

    @Test
    void passes_a_known_offender_and_names_one_that_no_longer_offends() {
      assertThatCode(
              () -> ArchitectureRules.assertNoUse(fixture("uses"), domain, infra, Set.of(rule)))
          .doesNotThrowAnyException();
      String clean = FIXTURE + ".uses.domain.Clean";
      assertThatThrownBy(
              () ->
                  ArchitectureRules.assertNoUse(
                      fixture("uses"), domain, infra, Set.of(rule, clean)))
          .hasMessageContaining("GONE: " + clean);
    }

    @Test
    void fails_on_a_checked_package_without_classes_rather_than_checking_nothing() {
      assertThatThrownBy(
              () ->
                  ArchitectureRules.assertDomainFreeOfInfrastructure(
                      fixture("uses"), Set.of(FIXTURE + ".uses.domian")))
          .hasMessageContaining("NO CLASSES in checked package " + FIXTURE + ".uses.domian");
    }

    @Test
    void passes_a_domain_free_of_jooq_and_vertx() {
      assertThatCode(
              () -> ArchitectureRules.assertDomainFreeOfInfrastructure(fixture("uses"), domain))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void module_classes_are_the_main_classes_beside_the_given_one_and_no_test_classes() {
    JavaClasses classes = ModuleClasses.of(Topics.class);
    assertThat(classes.contain(Topics.class)).isTrue();
    assertThat(classes.stream().map(JavaClass::getName))
        .noneMatch(name -> name.startsWith("dev.turnpike.testkit"));
  }
}
