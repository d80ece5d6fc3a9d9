package dev.turnpike.gateway.routing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable form of a {@link ResourceNode} while a {@link RouteTable} is being built. It enforces
 * API Gateway's rules for siblings as resources are added, so a bad configuration fails with a
 * message naming both conflicting resources.
 */
final class ResourceNodeBuilder<T> {

  private final String resourcePath;
  private final int segmentIndex;
  private final boolean greedy;
  private final List<String> parameterNames;
  private final List<Integer> parameterSegmentIndexes;
  private final EnumMap<HttpMethod, T> methods = new EnumMap<>(HttpMethod.class);
  private final Map<String, ResourceNodeBuilder<T>> literalChildren = new LinkedHashMap<>();
  private ResourceNodeBuilder<T> variableChild;
  private ResourceNodeBuilder<T> greedyChild;

  static <T> ResourceNodeBuilder<T> root() {
    return new ResourceNodeBuilder<>("/", -1, false, List.of(), List.of());
  }

  private ResourceNodeBuilder(
      String resourcePath,
      int segmentIndex,
      boolean greedy,
      List<String> parameterNames,
      List<Integer> parameterSegmentIndexes) {
    this.resourcePath = resourcePath;
    this.segmentIndex = segmentIndex;
    this.greedy = greedy;
    this.parameterNames = parameterNames;
    this.parameterSegmentIndexes = parameterSegmentIndexes;
  }

  /** Returns the child for a segment, creating it if needed. */
  ResourceNodeBuilder<T> child(ResourceSegment segment, String declaredPath) {
    return switch (segment) {
      case ResourceSegment.Literal literal ->
          literalChildren.computeIfAbsent(literal.text(), text -> newChild(segment, null));
      case ResourceSegment.Variable variable -> {
        variableChild = variableSibling(variableChild, segment, variable.name(), declaredPath);
        yield variableChild;
      }
      case ResourceSegment.Greedy greedyVariable -> {
        greedyChild = variableSibling(greedyChild, segment, greedyVariable.name(), declaredPath);
        yield greedyChild;
      }
    };
  }

  void addMethod(HttpMethod method, T value) {
    if (methods.putIfAbsent(method, value) != null) {
      throw new IllegalArgumentException("Duplicate route: " + method + " " + resourcePath);
    }
  }

  ResourceNode<T> build() {
    Map<String, ResourceNode<T>> builtLiterals = new LinkedHashMap<>();
    literalChildren.forEach((text, child) -> builtLiterals.put(text, child.build()));
    return new ResourceNode<>(
        resourcePath,
        methods.clone(),
        LiteralChildren.of(builtLiterals),
        variableChild == null ? null : variableChild.build(),
        greedyChild == null ? null : greedyChild.build(),
        parameterNames.toArray(String[]::new),
        parameterSegmentIndexes.stream().mapToInt(Integer::intValue).toArray(),
        greedy);
  }

  private ResourceNodeBuilder<T> variableSibling(
      ResourceNodeBuilder<T> existing, ResourceSegment segment, String name, String declaredPath) {
    if (existing == null) {
      return newChild(segment, name);
    }
    String existingName = existing.parameterNames.getLast();
    if (!existingName.equals(name)) {
      throw new IllegalArgumentException(
          "Resource path '"
              + declaredPath
              + "' conflicts with '"
              + existing.resourcePath
              + "': a level may have only one "
              + (segment instanceof ResourceSegment.Greedy ? "{name+}" : "{name}")
              + " variable");
    }
    return existing;
  }

  private ResourceNodeBuilder<T> newChild(ResourceSegment segment, String variableName) {
    String childPath = (segmentIndex < 0 ? "/" : resourcePath + "/") + segment.text();
    List<String> childNames = parameterNames;
    List<Integer> childIndexes = parameterSegmentIndexes;
    if (variableName != null) {
      if (parameterNames.contains(variableName)) {
        throw new IllegalArgumentException(
            "Resource path '" + childPath + "' declares the variable '" + variableName + "' twice");
      }
      childNames = append(parameterNames, variableName);
      childIndexes = append(parameterSegmentIndexes, segmentIndex + 1);
    }
    return new ResourceNodeBuilder<>(
        childPath,
        segmentIndex + 1,
        segment instanceof ResourceSegment.Greedy,
        childNames,
        childIndexes);
  }

  private static <E> List<E> append(List<E> list, E element) {
    List<E> appended = new ArrayList<>(list);
    appended.add(element);
    return List.copyOf(appended);
  }
}
