package dev.turnpike.mapping;

import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.RuntimeInstance;

/** The one Velocity runtime every template is parsed and rendered with. */
final class Engine {
  private static final RuntimeInstance RUNTIME = create();

  static {
    warmUp();
  }

  private Engine() {}

  static RuntimeInstance runtime() {
    return RUNTIME;
  }

  private static RuntimeInstance create() {
    RuntimeInstance runtime = new RuntimeInstance();
    // No resource loader: templates are strings, and #include / #parse of files find nothing
    // (TemplateChecks refuses them before that).
    runtime.setProperty("resource.loaders", "string");
    runtime.setProperty(
        "resource.loader.string.class",
        "org.apache.velocity.runtime.resource.loader.StringResourceLoader");
    runtime.setProperty(
        RuntimeConstants.UBERSPECT_CLASSNAME, RestrictedUberspector.class.getName());
    // A macro a tenant's template defines stays in that template: by default Velocity shares inline
    // macros between every template of the runtime, which would let one tenant's #macro answer
    // another's call.
    runtime.setProperty(RuntimeConstants.VM_PERM_INLINE_LOCAL, true);
    runtime.setProperty(RuntimeConstants.VM_MAX_DEPTH, 20);
    // API Gateway's VTL keeps Velocity 1.x's whitespace: the line a #set stands on is gobbled,
    // other directives leave their indentation and newlines.
    runtime.setProperty(RuntimeConstants.SPACE_GOBBLING, "bc");
    runtime.init();
    return runtime;
  }

  /**
   * Renders one template through every part once, so the first call's rendering does not pay for
   * loading Velocity's, Jackson's and JsonPath's classes against its 100 ms budget: the engine is
   * first touched when a deployment's templates are compiled, before any call.
   */
  private static void warmUp() {
    MappingTemplate.compile(
            "#set($r = $input.path('$'))#foreach($k in $r.keySet())$k=$r.get($k)#end"
                + " $input.json('$.a') $util.escapeJavaScript($input.params('p'))"
                + " $util.parseJson('[1]').size() $context.stage")
        .render(
            new TemplateInput("{\"a\":[1,{\"b\":2.5}]}", null, null, null, null, null),
            TemplateBudget.DEFAULT.withTime(java.time.Duration.ofSeconds(30)));
  }
}
