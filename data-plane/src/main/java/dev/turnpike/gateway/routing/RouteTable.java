package dev.turnpike.gateway.routing;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The routes of one deployed stage, as a tree of resources keyed by path segment, so the cost of a
 * lookup depends on the depth of the path and not on the number of routes. Built once per config
 * snapshot and immutable afterwards: {@link #match} takes no lock and allocates only its result
 * (plus a decoded copy of any segment holding a '%' that is compared with literals).
 *
 * <p>Matching follows API Gateway (REST APIs):
 *
 * <ul>
 *   <li>at each level a literal segment is tried first, then the {@code {param}} sibling, then the
 *       greedy {@code {proxy+}} sibling;
 *   <li>when a branch fails deeper down (no resource, or no method) the next branch is tried, so a
 *       literal resource that lacks the method falls through to a sibling {@code {proxy+}} that has
 *       it;
 *   <li>a method not declared on a resource is served by that resource's ANY;
 *   <li>empty segments are ignored, so {@code /pets/} and {@code /pets//} match {@code /pets};
 *   <li>{@code {proxy+}} needs at least one segment: {@code /{proxy+}} does not match {@code /}.
 * </ul>
 *
 * <p>Literal segments are compared with the raw request segment and, if that misses and the segment
 * holds a '%', with its decoded form. Parameter values are percent-decoded ('+' stays '+').
 *
 * @param <T> the value stored with each route
 */
public final class RouteTable<T> {

  private static final RouteMatch.NotFound<?> NOT_FOUND = new RouteMatch.NotFound<>();

  private final ResourceNode<T> root;
  private final int size;

  private RouteTable(ResourceNode<T> root, int size) {
    this.root = root;
    this.size = size;
  }

  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  /**
   * Builds a table from route definitions.
   *
   * @throws IllegalArgumentException if a method or resource path is invalid, a route is declared
   *     twice, or two different variables are siblings
   */
  public static <T> RouteTable<T> of(List<RouteDefinition<T>> routes) {
    Builder<T> builder = builder();
    routes.forEach(builder::add);
    return builder.build();
  }

  /**
   * Finds the route for a request.
   *
   * @param method the request method as received (case-sensitive, e.g. "GET")
   * @param path the path below the stage, starting with '/', without the query string
   */
  public RouteMatch<T> match(String method, String path) {
    HttpMethod requestMethod = HttpMethod.ofRequest(method);
    ResourceNode<T> resource = find(root, path, 0, requestMethod);
    if (resource == null) {
      return notFound();
    }
    return found(resource, resource.valueFor(requestMethod), path);
  }

  /** The number of (method, resource) routes in the table. */
  public int size() {
    return size;
  }

  /**
   * Depth-first search in precedence order. Each resource is visited at most once per request, so
   * backtracking cannot blow up: the worst case is bounded by the size of the tree, and the common
   * case by the depth of the path.
   */
  private ResourceNode<T> find(
      ResourceNode<T> node, String path, int from, HttpMethod requestMethod) {
    int start = skipSlashes(path, from);
    if (start == path.length()) {
      return node.valueFor(requestMethod) != null ? node : null;
    }
    int end = segmentEnd(path, start);
    ResourceNode<T> literal = literalChild(node, path, start, end);
    if (literal != null) {
      ResourceNode<T> found = find(literal, path, end, requestMethod);
      if (found != null) {
        return found;
      }
    }
    ResourceNode<T> variable = node.variableChild();
    if (variable != null) {
      ResourceNode<T> found = find(variable, path, end, requestMethod);
      if (found != null) {
        return found;
      }
    }
    ResourceNode<T> greedy = node.greedyChild();
    if (greedy != null && greedy.valueFor(requestMethod) != null) {
      return greedy;
    }
    return null;
  }

  private static <T> ResourceNode<T> literalChild(
      ResourceNode<T> node, String path, int start, int end) {
    ResourceNode<T> child = node.literalChild(path, start, end);
    if (child != null || !containsPercent(path, start, end)) {
      return child;
    }
    // Clients may percent-encode characters that literals hold unencoded, e.g. "%7E" for '~'.
    String decoded = PercentDecoder.decode(path, start, end);
    return decoded == null ? null : node.literalChild(decoded, 0, decoded.length());
  }

  private RouteMatch<T> found(ResourceNode<T> resource, T value, String path) {
    int count = resource.parameterCount();
    if (count == 0) {
      return new RouteMatch.Found<>(value, resource.resourcePath(), Map.of(), null);
    }
    Map<String, String> parameters = HashMap.newHashMap(count);
    int segmentIndex = 0;
    int position = 0;
    for (int parameter = 0; parameter < count; segmentIndex++) {
      int start = skipSlashes(path, position);
      position = segmentEnd(path, start);
      if (segmentIndex != resource.parameterSegmentIndex(parameter)) {
        continue;
      }
      boolean capturesRest = resource.isGreedy() && parameter == count - 1;
      String name = resource.parameterName(parameter);
      String decoded = PercentDecoder.decode(path, start, capturesRest ? path.length() : position);
      if (decoded == null) {
        return new RouteMatch.MalformedPath<>(
            "Invalid percent-encoding in path parameter '" + name + "'");
      }
      parameters.put(name, decoded);
      parameter++;
    }
    return new RouteMatch.Found<>(
        value,
        resource.resourcePath(),
        Collections.unmodifiableMap(parameters),
        resource.isGreedy() ? resource.parameterName(count - 1) : null);
  }

  private static int skipSlashes(String path, int from) {
    int position = from;
    while (position < path.length() && path.charAt(position) == '/') {
      position++;
    }
    return position;
  }

  private static int segmentEnd(String path, int start) {
    int slash = path.indexOf('/', start);
    return slash < 0 ? path.length() : slash;
  }

  private static boolean containsPercent(String path, int start, int end) {
    int percent = path.indexOf('%', start);
    return percent >= 0 && percent < end;
  }

  private static <T> RouteMatch<T> notFound() {
    @SuppressWarnings("unchecked")
    RouteMatch<T> notFound = (RouteMatch<T>) NOT_FOUND;
    return notFound;
  }

  /**
   * Collects routes and validates them as they are added, like API Gateway's CreateResource and
   * PutMethod: a bad route fails with a message naming it.
   */
  public static final class Builder<T> {

    private final ResourceNodeBuilder<T> root = ResourceNodeBuilder.root();
    private int size;

    private Builder() {}

    /**
     * @throws IllegalArgumentException if the method or path is invalid, the route is a duplicate,
     *     or the path adds a second, differently named variable at some level
     */
    public Builder<T> add(String httpMethod, String resourcePath, T value) {
      Objects.requireNonNull(value, "value");
      HttpMethod method = HttpMethod.parseDeclared(httpMethod);
      ResourceNodeBuilder<T> node = root;
      for (ResourceSegment segment : ResourceSegment.parsePath(resourcePath)) {
        node = node.child(segment, resourcePath);
      }
      node.addMethod(method, value);
      size++;
      return this;
    }

    public Builder<T> add(RouteDefinition<T> route) {
      return add(route.httpMethod(), route.resourcePath(), route.value());
    }

    public RouteTable<T> build() {
      return new RouteTable<>(root.build(), size);
    }
  }
}
