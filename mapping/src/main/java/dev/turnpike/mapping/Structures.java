package dev.turnpike.mapping;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.RandomAccess;
import net.minidev.json.JSONArray;

/**
 * The maps and lists templates hold: JSON read from the body or {@code $util.parseJson}, the
 * literals a template writes ({@code [1, 2]}, {@code {"a": 1}}, {@code [1..n]}), {@code
 * $input.params()} and {@code $context}.
 *
 * <p>Java's own collections walk their whole content for {@code toString}, {@code hashCode} and
 * {@code equals}, and Velocity calls them by itself ({@code ==}, {@code <}, {@code +} with text,
 * numbers tried from text). A template can nest a list in itself 60 times in 60 steps, and then any
 * such walk takes 2^60 turns, which no deadline interrupts. These classes walk within the
 * rendering's budget instead: each element a step, each character of text measured. They print as
 * API Gateway prints: a map as {@code {a=1, b=x}}, a JSON array as compact JSON, a list a template
 * wrote as {@code [1, 2]}.
 */
final class Structures {
  private Structures() {}

  static RenderGuard guard() {
    RenderGuard guard = RenderGuard.current();
    // Outside a rendering (a test, a log line) the walk is still bounded, by a fresh default
    // budget.
    return guard != null ? guard : new RenderGuard(TemplateBudget.DEFAULT);
  }

  static int hash(Collection<?> values) {
    RenderGuard guard = guard();
    int hash = 1;
    for (Object value : values) {
      guard.step();
      hash = 31 * hash + (value == null ? 0 : value.hashCode());
    }
    return hash;
  }

  static int hash(Map<?, ?> values) {
    RenderGuard guard = guard();
    int hash = 0;
    for (Map.Entry<?, ?> entry : values.entrySet()) {
      guard.step();
      Object key = entry.getKey();
      Object value = entry.getValue();
      hash += (key == null ? 0 : key.hashCode()) ^ (value == null ? 0 : value.hashCode());
    }
    return hash;
  }

  static boolean equal(Object self, Object other) {
    return Comparisons.deepEquals(self, other, guard(), 0);
  }

  /** A list a template wrote, or built with {@code add}. */
  static final class TemplateList extends ArrayList<Object> {
    private static final long serialVersionUID = 1L;

    TemplateList(Collection<?> values) {
      super(values);
    }

    @Override
    public String toString() {
      return VtlText.of(this, guard());
    }

    @Override
    public int hashCode() {
      return hash(this);
    }

    @Override
    public boolean equals(Object other) {
      return equal(this, other);
    }
  }

  /**
   * A JSON object, a map a template wrote, or one of the maps of {@code $input}/{@code $context}.
   */
  static class TemplateMap extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    TemplateMap() {}

    TemplateMap(Map<?, ?> values) {
      super(values);
    }

    @Override
    public String toString() {
      return VtlText.of(this, guard());
    }

    @Override
    public int hashCode() {
      return hash(this);
    }

    @Override
    public boolean equals(Object other) {
      return equal(this, other);
    }
  }

  /** A JSON array: json-smart's, which API Gateway prints as compact JSON. */
  static final class JsonList extends JSONArray {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
      return VtlText.of(this, guard());
    }

    @Override
    public int hashCode() {
      return hash(this);
    }

    @Override
    public boolean equals(Object other) {
      return equal(this, other);
    }
  }

  /** {@code [a..b]}: counted, never stored, like Velocity's own range. */
  static final class TemplateRange extends AbstractList<Object> implements RandomAccess {
    private final int first;
    private final int size;
    private final int step;

    TemplateRange(int first, int last) {
      this.first = first;
      this.step = last >= first ? 1 : -1;
      this.size = (int) Math.min(Integer.MAX_VALUE, Math.abs((long) last - first) + 1);
    }

    @Override
    public Object get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException(index);
      }
      return first + step * index;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public String toString() {
      return VtlText.of(this, guard());
    }

    @Override
    public int hashCode() {
      return hash(this);
    }

    @Override
    public boolean equals(Object other) {
      return equal(this, other);
    }
  }
}
