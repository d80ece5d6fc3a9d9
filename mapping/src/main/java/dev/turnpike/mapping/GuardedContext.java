package dev.turnpike.mapping;

import org.apache.velocity.VelocityContext;

/**
 * The variables of one rendering. Velocity stores every {@code #set} and every turn of a {@code
 * #foreach} here, so each store is a step of the budget: a loop of loops stops at its step limit or
 * deadline however little it prints.
 */
final class GuardedContext extends VelocityContext {
  private static final long serialVersionUID = 1L;

  private final transient RenderGuard guard;

  GuardedContext(RenderGuard guard) {
    this.guard = guard;
  }

  @Override
  public Object internalPut(String key, Object value) {
    guard.step();
    return super.internalPut(key, value);
  }
}
