package dev.turnpike.gateway.routing;

import java.util.EnumMap;

/**
 * One resource of a built {@link RouteTable}: its methods and its children. Immutable once built;
 * the maps it holds are never modified or exposed, so nodes are safe to share between threads.
 *
 * @param <T> the value stored with each route
 */
final class ResourceNode<T> {

  private final String resourcePath;
  private final EnumMap<HttpMethod, T> methods;
  private final LiteralChildren<ResourceNode<T>> literalChildren;
  private final ResourceNode<T> variableChild;
  private final ResourceNode<T> greedyChild;
  private final String[] parameterNames;
  private final int[] parameterSegmentIndexes;
  private final boolean greedy;

  /**
   * @param parameterNames the names of the variables on the path from the root to this resource
   * @param parameterSegmentIndexes for each name, the index of the request segment it captures
   * @param greedy whether this resource is a {@code {proxy+}}, whose variable captures the rest of
   *     the path
   */
  ResourceNode(
      String resourcePath,
      EnumMap<HttpMethod, T> methods,
      LiteralChildren<ResourceNode<T>> literalChildren,
      ResourceNode<T> variableChild,
      ResourceNode<T> greedyChild,
      String[] parameterNames,
      int[] parameterSegmentIndexes,
      boolean greedy) {
    this.resourcePath = resourcePath;
    this.methods = methods;
    this.literalChildren = literalChildren;
    this.variableChild = variableChild;
    this.greedyChild = greedyChild;
    this.parameterNames = parameterNames;
    this.parameterSegmentIndexes = parameterSegmentIndexes;
    this.greedy = greedy;
  }

  /**
   * Returns the value for a request method, falling back to the resource's ANY, or null if the
   * resource serves neither. A null method stands for one only ANY can serve.
   */
  T valueFor(HttpMethod method) {
    T value = methods.get(method);
    return value != null ? value : methods.get(HttpMethod.ANY);
  }

  String resourcePath() {
    return resourcePath;
  }

  ResourceNode<T> literalChild(String path, int from, int to) {
    return literalChildren.get(path, from, to);
  }

  ResourceNode<T> variableChild() {
    return variableChild;
  }

  ResourceNode<T> greedyChild() {
    return greedyChild;
  }

  int parameterCount() {
    return parameterNames.length;
  }

  String parameterName(int index) {
    return parameterNames[index];
  }

  int parameterSegmentIndex(int index) {
    return parameterSegmentIndexes[index];
  }

  boolean isGreedy() {
    return greedy;
  }
}
