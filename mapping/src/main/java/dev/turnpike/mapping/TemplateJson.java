package dev.turnpike.mapping;

import com.jayway.jsonpath.spi.json.JsonSmartJsonProvider;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONValue;
import net.minidev.json.writer.JsonReaderI;

/**
 * json-smart reading JSON into {@link Structures} instead of its own maps and arrays, for the body
 * (through JsonPath) and {@code $util.parseJson}; same parsing, same printing, bounded walks.
 */
final class TemplateJson {
  /**
   * JsonPath's default parsing mode (json-smart permissive, without its "accept incomplete" flag),
   * as {@code new JsonSmartJsonProvider()} sets it.
   */
  static final int JSONPATH_DEFAULT_MODE = -8193;

  private TemplateJson() {}

  static JsonSmartJsonProvider provider() {
    return new Provider();
  }

  static JsonReaderI<Object> reader() {
    return new Reader();
  }

  /** Also makes the lists JsonPath builds for indefinite paths ({@code $..id}). */
  private static final class Provider extends JsonSmartJsonProvider {
    Provider() {
      super(JSONPATH_DEFAULT_MODE, new Reader());
    }

    @Override
    public Object createArray() {
      return new Structures.JsonList();
    }

    @Override
    public Object createMap() {
      return new Structures.TemplateMap();
    }
  }

  private static final class Reader extends JsonReaderI<Object> {
    Reader() {
      super(JSONValue.defaultReader);
    }

    @Override
    public JsonReaderI<Object> startObject(String key) {
      return this;
    }

    @Override
    public JsonReaderI<Object> startArray(String key) {
      return this;
    }

    @Override
    public Object createObject() {
      return new Structures.TemplateMap();
    }

    @Override
    public Object createArray() {
      return new Structures.JsonList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setValue(Object current, String key, Object value) {
      ((Map<Object, Object>) current).put(key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void addValue(Object current, Object value) {
      ((List<Object>) current).add(value);
    }
  }
}
