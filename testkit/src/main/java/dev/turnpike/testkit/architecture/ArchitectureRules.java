package dev.turnpike.testkit.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.PackageMatcher;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The architecture rules every module's {@code ArchitectureTest} applies to its own main classes
 * (see {@link ModuleClasses}): no package cycles, and domain packages (the rules a feature is
 * about: records, use cases, routing, rating) import neither the database (jOOQ and the generated
 * {@code dev.turnpike.db} schema) nor the web toolkit (Vert.x), so they read, and test, without
 * either.
 */
public final class ArchitectureRules {

  /** What domain packages must not use, in ArchUnit's package notation. */
  public static final List<String> INFRASTRUCTURE =
      List.of("org.jooq..", "io.vertx..", "dev.turnpike.db..");

  private ArchitectureRules() {}

  /** Fails, naming each cycle and the dependencies that close it, if any package cycle exists. */
  public static void assertNoPackageCycles(JavaClasses classes) {
    PackageCycles.assertNone(classes);
  }

  /**
   * Fails if a class in one of {@code domainPackages} (ArchUnit notation: {@code "a.b"} is the
   * package itself, {@code "a.b.."} includes its subpackages) uses {@link #INFRASTRUCTURE}.
   */
  public static void assertDomainFreeOfInfrastructure(
      JavaClasses classes, Set<String> domainPackages) {
    assertDomainFreeOfInfrastructureExcept(classes, domainPackages, Set.of());
  }

  /**
   * Like {@link #assertDomainFreeOfInfrastructure}, with known offenders (fully qualified top-level
   * class names) that still have to be fixed. The list is exact: an offender that no longer offends
   * is named as "GONE: ..." so the list only shrinks.
   */
  public static void assertDomainFreeOfInfrastructureExcept(
      JavaClasses classes, Set<String> domainPackages, Set<String> knownOffenders) {
    assertNoUse(classes, domainPackages, INFRASTRUCTURE, knownOffenders);
  }

  /**
   * Fails if a class in one of {@code checkedPackages} uses a class in one of {@code
   * forbiddenPackages} (both in ArchUnit notation), unless it is one of {@code knownOffenders}
   * (fully qualified top-level class names; exact, as above).
   */
  public static void assertNoUse(
      JavaClasses classes,
      Set<String> checkedPackages,
      List<String> forbiddenPackages,
      Set<String> knownOffenders) {
    String report = report(classes, checkedPackages, forbiddenPackages, knownOffenders);
    if (!report.isEmpty()) {
      throw new AssertionError(report);
    }
  }

  /** What {@link #assertNoUse} would fail with, or "" when it passes. */
  static String report(
      JavaClasses classes,
      Set<String> checkedPackages,
      List<String> forbiddenPackages,
      Set<String> knownOffenders) {
    if (checkedPackages.isEmpty() || forbiddenPackages.isEmpty()) {
      throw new IllegalArgumentException("name the packages to check and what they must not use");
    }
    var message = new StringBuilder();
    for (String checked : new TreeSet<>(checkedPackages)) {
      PackageMatcher matcher = PackageMatcher.of(checked);
      if (classes.stream().noneMatch(c -> matcher.matches(c.getPackageName()))) {
        // A misspelt or moved package would otherwise make the rule pass without checking anything.
        message.append("\nNO CLASSES in checked package ").append(checked).append('\n');
      }
    }
    SortedMap<String, TreeSet<String>> offenders = new TreeMap<>();
    for (JavaClass origin : classes) {
      if (!inAny(origin.getPackageName(), checkedPackages)) {
        continue;
      }
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
        if (inAny(target, forbiddenPackages)) {
          offenders
              .computeIfAbsent(topLevelName(origin), name -> new TreeSet<>())
              .add(dependency.getDescription());
        }
      }
    }
    offenders.forEach(
        (offender, dependencies) -> {
          if (!knownOffenders.contains(offender)) {
            message.append("\nUSES ").append(forbiddenPackages).append(": ").append(offender);
            message.append('\n');
            dependencies.stream()
                .limit(5)
                .forEach(dependency -> message.append("      ").append(dependency).append('\n'));
            if (dependencies.size() > 5) {
              message.append("      ... and ").append(dependencies.size() - 5).append(" more\n");
            }
          }
        });
    var gone = new TreeSet<>(knownOffenders);
    gone.removeAll(offenders.keySet());
    gone.forEach(
        offender ->
            message
                .append("\nGONE: ")
                .append(offender)
                .append(" (no longer uses ")
                .append(forbiddenPackages)
                .append("; remove it from the known offenders)\n"));
    return message.isEmpty()
        ? ""
        : "Packages "
            + new TreeSet<>(checkedPackages)
            + " must not use "
            + forbiddenPackages
            + ":\n"
            + message;
  }

  private static boolean inAny(String packageName, Iterable<String> packageIdentifiers) {
    for (String identifier : packageIdentifiers) {
      if (PackageMatcher.of(identifier).matches(packageName)) {
        return true;
      }
    }
    return false;
  }

  private static String topLevelName(JavaClass javaClass) {
    JavaClass top = javaClass;
    while (top.getEnclosingClass().isPresent()) {
      top = top.getEnclosingClass().get();
    }
    return top.getName();
  }
}
