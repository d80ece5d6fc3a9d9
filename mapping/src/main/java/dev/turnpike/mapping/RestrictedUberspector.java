package dev.turnpike.mapping;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.velocity.runtime.directive.Scope;
import org.apache.velocity.runtime.parser.node.MapGetExecutor;
import org.apache.velocity.util.introspection.Info;
import org.apache.velocity.util.introspection.UberspectImpl;
import org.apache.velocity.util.introspection.VelMethod;
import org.apache.velocity.util.introspection.VelPropertyGet;
import org.apache.velocity.util.introspection.VelPropertySet;

/**
 * How templates reach Java: only the values mapping templates are made of (strings, numbers,
 * booleans, maps, lists, {@code $input}, {@code $util}, {@code $foreach}), never a class, a class
 * loader or anything else a method might hand back. Every call is a step of the rendering's budget,
 * and the calls that could build a huge value from a small template ({@code "a".repeat(1e9)},
 * {@code $s.replace('', $s)}, {@code "%0999999999d".format(...)}) are refused or measured first.
 *
 * <p>Allowing types rather than refusing known-dangerous ones (as Velocity's {@code
 * SecureUberspector} does with its package list) means a value of a type nobody thought about is
 * inert. Public only so Velocity can create it from its configuration.
 */
public final class RestrictedUberspector extends UberspectImpl {
  /** Refused on every value: reflection, monitors, and text that grows without bound. */
  private static final Set<String> REFUSED_EVERYWHERE =
      Set.of(
          "getClass",
          "wait",
          "notify",
          "notifyAll",
          "repeat",
          "format",
          "formatted",
          "describeConstable",
          "resolveConstantDesc",
          "transform");

  /**
   * What maps, lists and their entries answer: reading, adding, removing. Nothing that walks the
   * whole structure ({@code equals}, {@code hashCode}, {@code containsValue}, json-smart's {@code
   * toJSONString}), which a loop nesting a list in itself makes exponential; printing goes through
   * {@link VtlText}, which is bounded.
   */
  private static final Set<String> CONTAINER_METHODS =
      Set.of(
          "get",
          "getOrDefault",
          "containsKey",
          "keySet",
          "values",
          "entrySet",
          "size",
          "isEmpty",
          "put",
          "putIfAbsent",
          "remove",
          "clear",
          "add",
          "set",
          "contains",
          "indexOf",
          "lastIndexOf",
          "subList",
          "getKey",
          "getValue");

  /** List methods whose argument is compared with each element: a scalar only. */
  private static final Set<String> COMPARING =
      Set.of("contains", "indexOf", "lastIndexOf", "remove");

  @Override
  public Iterator<?> getIterator(Object obj, Info info) {
    if (obj instanceof Collection<?> || obj instanceof Map<?, ?> || isSafeArray(obj)) {
      return super.getIterator(obj, info);
    }
    return null;
  }

  @Override
  public VelMethod getMethod(Object obj, String methodName, Object[] args, Info info) {
    if (obj == null || !allowed(obj) || REFUSED_EVERYWHERE.contains(methodName)) {
      return null;
    }
    // $foreach is a map too, but answers with its own methods (hasNext, index, count).
    boolean container =
        !(obj instanceof Scope)
            && (obj instanceof Map<?, ?>
                || obj instanceof Collection<?>
                || obj instanceof Map.Entry<?, ?>);
    if (container && "toString".equals(methodName) && (args == null || args.length == 0)) {
      // The guide's own example tests $inputRoot.toString().contains("error").
      return new PrintedText();
    }
    if (container && !CONTAINER_METHODS.contains(methodName)) {
      return null;
    }
    if (obj instanceof String) {
      GuardedRegex regex = GuardedRegex.of(methodName, args);
      if (regex != null) {
        return regex;
      }
    }
    VelMethod method = super.getMethod(obj, methodName, args, info);
    return method == null ? null : new GuardedMethod(method);
  }

  @Override
  public VelPropertyGet getPropertyGet(Object obj, String identifier, Info info) {
    if (obj == null || !allowed(obj) || "class".equals(identifier)) {
      return null;
    }
    if (obj instanceof Map<?, ?> && !(obj instanceof Scope)) {
      // A map's properties are its keys and nothing else: $map.class, $map.empty are entries.
      return new UberspectImpl.VelGetterImpl(new MapGetExecutor(log, obj, identifier));
    }
    VelPropertyGet getter = super.getPropertyGet(obj, identifier, info);
    if (getter == null || REFUSED_EVERYWHERE.contains(getter.getMethodName())) {
      return null;
    }
    return getter;
  }

  @Override
  public VelPropertySet getPropertySet(Object obj, String identifier, Object arg, Info info) {
    if (obj instanceof Map<?, ?> && !(obj instanceof Scope)) {
      return super.getPropertySet(obj, identifier, arg, info);
    }
    return null;
  }

  private static boolean allowed(Object obj) {
    return obj instanceof CharSequence
        || obj instanceof Number
        || obj instanceof Boolean
        || obj instanceof Character
        || obj instanceof Map<?, ?>
        || obj instanceof Collection<?>
        || obj instanceof Map.Entry<?, ?>
        || obj instanceof InputVariable
        || obj instanceof UtilVariable
        || isSafeArray(obj);
  }

  /** Arrays come from {@code $s.split(',')}: arrays of text and numbers, never of classes. */
  private static boolean isSafeArray(Object obj) {
    if (obj == null || !obj.getClass().isArray()) {
      return false;
    }
    Class<?> component = obj.getClass().getComponentType();
    return component.isPrimitive()
        || component == String.class
        || Number.class.isAssignableFrom(component);
  }

  private static boolean scalar(Object value) {
    return value == null
        || value instanceof CharSequence
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Character;
  }

  /** {@code $map.toString()}: the text it prints as, built within the budget. */
  private static final class PrintedText implements VelMethod {
    @Override
    public Object invoke(Object obj, Object[] params) {
      RenderGuard guard = RenderGuard.current();
      if (guard == null) {
        throw new IllegalStateException("template methods run only inside a rendering");
      }
      guard.step();
      return VtlText.of(obj, guard);
    }

    @Override
    public boolean isCacheable() {
      return true;
    }

    @Override
    public String getMethodName() {
      return "toString";
    }

    @Override
    public Method getMethod() {
      try {
        return Object.class.getMethod("toString");
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Class<?> getReturnType() {
      return String.class;
    }
  }

  /** One method call: a step of the budget, with the arguments and result measured. */
  private static final class GuardedMethod implements VelMethod {
    private final VelMethod method;

    GuardedMethod(VelMethod method) {
      this.method = method;
    }

    @Override
    public Object invoke(Object obj, Object[] params)
        throws IllegalAccessException, InvocationTargetException {
      RenderGuard guard = RenderGuard.current();
      if (guard == null) {
        throw new IllegalStateException("template methods run only inside a rendering");
      }
      guard.step();
      checkArguments(obj, params, guard);
      Object result;
      try {
        result = method.invoke(obj, params);
      } catch (InvocationTargetException e) {
        guard.failed(e.getCause() == null ? e : e.getCause());
        throw e;
      } catch (RuntimeException e) {
        guard.failed(e);
        throw e;
      }
      if (result instanceof CharSequence text) {
        guard.value(text.length());
      }
      return result;
    }

    private void checkArguments(Object obj, Object[] params, RenderGuard guard) {
      String name = method.getMethodName();
      Object[] args = params == null ? new Object[0] : params;
      if (obj instanceof Map<?, ?> && args.length > 0 && !scalar(args[0])) {
        throw guard.exceeded("map keys are text, numbers or booleans");
      }
      if (obj instanceof Collection<?>
          && COMPARING.contains(name)
          && args.length > 0
          && !scalar(args[0])) {
        throw guard.exceeded("lists are searched for text, numbers or booleans");
      }
      if (obj instanceof CharSequence text) {
        guard.value(largestResult(name, text.length(), args));
      }
    }

    /** The longest text a string method can return, measured before it allocates it. */
    private static long largestResult(String name, long length, Object[] args) {
      if ("concat".equals(name) && args.length == 1 && args[0] instanceof CharSequence other) {
        return length + other.length();
      }
      if ("replace".equals(name)
          && args.length == 2
          && args[0] instanceof CharSequence target
          && args[1] instanceof CharSequence replacement) {
        // An empty target matches between every two characters.
        long matches = target.isEmpty() ? length + 1 : length / target.length();
        return length + matches * Math.max(0, replacement.length() - target.length());
      }
      return length;
    }

    @Override
    public boolean isCacheable() {
      return method.isCacheable();
    }

    @Override
    public String getMethodName() {
      return method.getMethodName();
    }

    @Override
    public Method getMethod() {
      return method.getMethod();
    }

    @Override
    public Class<?> getReturnType() {
      return method.getReturnType();
    }
  }
}
