package dev.turnpike.controlplane.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables an API's resource paths declare, indexed so that checking one more path costs its
 * own length rather than the number of paths: API Gateway allows one {@code {name}} and one {@code
 * {name+}} variable under each parent resource, so two paths conflict exactly when they share every
 * segment up to a level where both have a variable of the same kind under different names.
 */
public final class PathConflicts {
  /** A variable at one level, and the path that first declared it. */
  private record Declared(String variable, String path) {}

  /** Keyed by the parent's segments as written ("/a/{id}") and the variable's kind. */
  private final Map<String, Declared> variables = new HashMap<>();

  /** Paths that do not parse are left out: they conflict with nothing. */
  public static PathConflicts of(Iterable<String> paths) {
    PathConflicts conflicts = new PathConflicts();
    for (String path : paths) {
      try {
        conflicts.add(path, ResourcePath.parse(path));
      } catch (IllegalArgumentException e) {
        // not a resource path: it cannot share a variable with one
      }
    }
    return conflicts;
  }

  /**
   * @param segments {@code path} parsed
   * @return a message naming the path that conflicts, or null when there is none
   */
  public String conflict(List<ResourcePath.Segment> segments) {
    StringBuilder parent = new StringBuilder();
    for (ResourcePath.Segment segment : segments) {
      if (segment.isVariable()) {
        Declared declared = variables.get(key(parent, segment));
        if (declared != null && !declared.variable().equals(segment.variable())) {
          return "conflicts with '"
              + declared.path()
              + "': a level may have only one "
              + (segment.greedy() ? "{name+}" : "{name}")
              + " variable";
        }
      }
      parent.append('/').append(segment.text());
    }
    return null;
  }

  /**
   * Records the path's variables; the first path to declare a variable at a level is the one later
   * conflicts name.
   */
  public void add(String path, List<ResourcePath.Segment> segments) {
    StringBuilder parent = new StringBuilder();
    for (ResourcePath.Segment segment : segments) {
      if (segment.isVariable()) {
        variables.putIfAbsent(key(parent, segment), new Declared(segment.variable(), path));
      }
      parent.append('/').append(segment.text());
    }
  }

  private static String key(CharSequence parent, ResourcePath.Segment segment) {
    return parent + (segment.greedy() ? " +" : " ");
  }
}
