package dev.turnpike.mapping;

import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.context.Context;

/**
 * Turns every value a template prints (in its output or inside an interpolated string) into its
 * text through {@link VtlText}, so printing is measured before it is built.
 */
final class InsertionGuard implements ReferenceInsertionEventHandler {
  private final RenderGuard guard;

  InsertionGuard(RenderGuard guard) {
    this.guard = guard;
  }

  @Override
  public Object referenceInsert(Context context, String reference, Object value) {
    guard.checkTime();
    return VtlText.of(value, guard);
  }
}
