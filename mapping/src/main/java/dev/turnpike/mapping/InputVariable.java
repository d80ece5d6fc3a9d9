package dev.turnpike.mapping;

import java.util.Map;

/**
 * {@code $input}: the payload and the method request's parameters, as the API Gateway developer
 * guide's "$input variables" table describes them. Public only because Velocity calls public
 * methods; templates reach nothing else of it.
 */
public final class InputVariable {
  private static final String EMPTY_BODY = "{}";

  private final String body;
  private final Map<String, String> path;
  private final Map<String, String> querystring;
  private final Map<String, String> headers;
  private final RenderGuard guard;
  private Object document;
  private boolean parsed;

  InputVariable(TemplateInput input, RenderGuard guard) {
    this.body = input.body();
    this.path = input.path();
    this.querystring = input.querystring();
    this.headers = input.headers();
    this.guard = guard;
  }

  /**
   * {@code $input.body}: the raw payload as a string; {@code {}} when there is none, as API Gateway
   * gives it (LocalStack's AWS-validated snapshot {@code test_input_body_formatting}).
   */
  public String getBody() {
    return body.isEmpty() ? EMPTY_BODY : body;
  }

  /**
   * {@code $input.json('$.x')}: the JSONPath's result as compact JSON text, e.g. {@code "cat"} with
   * its quotes for a string. A path that finds nothing gives {@code ""} (an empty JSON string), the
   * behaviour emulators of API Gateway reproduce; the guide does not say.
   */
  public String json(String jsonPath) {
    Object value = path(jsonPath);
    return JsonSupport.write(value == null ? "" : value, guard);
  }

  /**
   * {@code $input.path('$.x')}: the JSONPath's result as an object VTL can walk: maps, lists,
   * strings, numbers, booleans; null when a definite path finds nothing.
   */
  public Object path(String jsonPath) {
    if (jsonPath == null) {
      return null;
    }
    return JsonSupport.read(document(), jsonPath);
  }

  /**
   * {@code $input.params()}: {@code path}, {@code querystring} and {@code header}, each a map of
   * the request's parameters by name. Copies, so a template changing them changes nothing else.
   */
  public Map<Object, Object> params() {
    Map<Object, Object> all = new Structures.TemplateMap();
    all.put("path", new Structures.TemplateMap(path));
    all.put("querystring", new Structures.TemplateMap(querystring));
    all.put("header", new HeaderMap(headers));
    return all;
  }

  /**
   * {@code $input.params('name')}: the parameter from the path, else the query string, else the
   * headers (searched in that order, as the guide says); an empty string when none has it.
   */
  public String params(String name) {
    if (name == null) {
      return "";
    }
    String value = path.get(name);
    if (value == null) {
      value = querystring.get(name);
    }
    if (value == null) {
      value = HeaderMap.lookup(headers, name);
    }
    return value == null ? "" : value;
  }

  /**
   * The body parsed once per rendering, from the text {@code $input.body} gives: an empty body
   * reads as an empty object, so {@code $input.json('$')} of a GET gives {@code {}}.
   */
  private Object document() {
    if (!parsed) {
      document = JsonSupport.parseBody(getBody(), guard);
      parsed = true;
    }
    return document;
  }

  /** Headers keep the caller's spelling for printing and are found whatever the case asked. */
  static final class HeaderMap extends Structures.TemplateMap {
    private static final long serialVersionUID = 1L;

    HeaderMap(Map<String, String> headers) {
      super(headers);
    }

    @Override
    public Object get(Object key) {
      Object exact = super.get(key);
      return exact != null || !(key instanceof String name) ? exact : lookup(this, name);
    }

    @Override
    public boolean containsKey(Object key) {
      return super.containsKey(key) || (key instanceof String name && lookup(this, name) != null);
    }

    /** By iteration only, never {@code headers.get}, which for a HeaderMap would come back here. */
    static <V> V lookup(Map<?, V> headers, String name) {
      for (Map.Entry<?, V> header : headers.entrySet()) {
        if (name.equals(header.getKey())) {
          return header.getValue();
        }
      }
      for (Map.Entry<?, V> header : headers.entrySet()) {
        if (header.getKey() instanceof String key && key.equalsIgnoreCase(name)) {
          return header.getValue();
        }
      }
      return null;
    }
  }
}
