package dev.turnpike.testkit.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Package cycles among the given classes' own packages (a dependency on a package outside them,
 * e.g. on another module or a library, never forms a cycle here).
 *
 * <p>A cycle is reported as its strongly connected group of packages: every package in the group
 * reaches every other one. Its name is the sorted package names joined by {@code " <-> "}, which is
 * also how a known cycle is listed for {@link #assertExactly}. The failure message shows, for every
 * package-to-package dependency inside a group, the class dependencies that make it, so a reader
 * sees which import to move.
 */
public final class PackageCycles {

  private static final int EXAMPLES_PER_EDGE = 3;

  private final SortedMap<String, SortedMap<String, List<String>>> edges;
  private final List<SortedSet<String>> cycles;

  private PackageCycles(JavaClasses classes) {
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("no classes to check: the import found nothing");
    }
    Set<String> packages =
        classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
    edges = new TreeMap<>();
    for (JavaClass origin : classes) {
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        String from = origin.getPackageName();
        String to = dependency.getTargetClass().getBaseComponentType().getPackageName();
        if (!from.equals(to) && packages.contains(to)) {
          edges
              .computeIfAbsent(from, p -> new TreeMap<>())
              .computeIfAbsent(to, p -> new ArrayList<>())
              .add(dependency.getDescription());
        }
      }
    }
    cycles = stronglyConnectedGroups(packages);
  }

  /** The cycles among {@code classes}' packages, each named as {@link #assertExactly} lists it. */
  public static SortedSet<String> find(JavaClasses classes) {
    return new PackageCycles(classes).names();
  }

  /** Fails, naming each cycle and the class dependencies that close it, if there is any cycle. */
  public static void assertNone(JavaClasses classes) {
    assertExactly(classes, Set.of());
  }

  /**
   * Fails unless the cycles are exactly {@code knownCycles}: a new cycle is named with the class
   * dependencies that close it; a listed cycle that no longer exists is named as "GONE: ...", so
   * the list is kept exact and can only shrink as cycles are fixed.
   */
  public static void assertExactly(JavaClasses classes, Set<String> knownCycles) {
    var check = new PackageCycles(classes);
    String report = check.report(knownCycles);
    if (!report.isEmpty()) {
      throw new AssertionError(report);
    }
  }

  /** What {@link #assertExactly} would fail with, or "" when the cycles are as listed. */
  static String report(JavaClasses classes, Set<String> knownCycles) {
    return new PackageCycles(classes).report(knownCycles);
  }

  private String report(Set<String> knownCycles) {
    var message = new StringBuilder();
    int unexpected = 0;
    for (SortedSet<String> cycle : cycles) {
      if (!knownCycles.contains(name(cycle))) {
        unexpected++;
        message.append("\nCYCLE: ").append(name(cycle)).append('\n');
        describe(cycle, message);
      }
    }
    Set<String> found = names();
    var gone = new TreeSet<>(knownCycles);
    gone.removeAll(found);
    for (String cycle : gone) {
      message
          .append("\nGONE: ")
          .append(cycle)
          .append(" (remove it from the list of known cycles)\n");
    }
    if (message.isEmpty()) {
      return "";
    }
    return unexpected
        + " package cycle(s) not in the list of known cycles, "
        + gone.size()
        + " listed cycle(s) gone:\n"
        + message;
  }

  private void describe(SortedSet<String> cycle, StringBuilder message) {
    for (String from : cycle) {
      for (var edge : edges.getOrDefault(from, new TreeMap<>()).entrySet()) {
        if (!cycle.contains(edge.getKey())) {
          continue;
        }
        List<String> examples = edge.getValue().stream().distinct().sorted().toList();
        message.append("  ").append(from).append(" -> ").append(edge.getKey()).append('\n');
        examples.stream()
            .limit(EXAMPLES_PER_EDGE)
            .forEach(example -> message.append("      ").append(example).append('\n'));
        if (examples.size() > EXAMPLES_PER_EDGE) {
          message
              .append("      ... and ")
              .append(examples.size() - EXAMPLES_PER_EDGE)
              .append(" more\n");
        }
      }
    }
  }

  private SortedSet<String> names() {
    return cycles.stream().map(PackageCycles::name).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String name(SortedSet<String> cycle) {
    return String.join(" <-> ", cycle);
  }

  /** Tarjan's algorithm; groups of one package are not cycles (a package may use itself). */
  private List<SortedSet<String>> stronglyConnectedGroups(Set<String> packages) {
    var tarjan = new Tarjan();
    for (String node : new TreeSet<>(packages)) {
      if (!tarjan.index.containsKey(node)) {
        tarjan.visit(node);
      }
    }
    return tarjan.groups;
  }

  private final class Tarjan {
    final Map<String, Integer> index = new HashMap<>();
    final Map<String, Integer> lowLink = new HashMap<>();
    final Deque<String> stack = new ArrayDeque<>();
    final Set<String> onStack = new TreeSet<>();
    final List<SortedSet<String>> groups = new ArrayList<>();

    void visit(String node) {
      index.put(node, index.size());
      lowLink.put(node, index.get(node));
      stack.push(node);
      onStack.add(node);
      for (String next : edges.getOrDefault(node, new TreeMap<>()).keySet()) {
        if (!index.containsKey(next)) {
          visit(next);
          lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
        } else if (onStack.contains(next)) {
          lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
        }
      }
      if (lowLink.get(node).equals(index.get(node))) {
        var group = new TreeSet<String>();
        String member;
        do {
          member = stack.pop();
          onStack.remove(member);
          group.add(member);
        } while (!member.equals(node));
        if (group.size() > 1) {
          groups.add(group);
        }
      }
    }
  }
}
