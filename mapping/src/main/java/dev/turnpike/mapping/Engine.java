package dev.turnpike.mapping;

import java.time.Duration;
import java.util.Map;
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
    // API Gateway's VTL keeps Velocity 1.x's whitespace (its engine predates Velocity 2): a #set
    // line vanishes whole, other directive lines keep their indentation and lose their newline.
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
    MappingTemplate template =
        MappingTemplate.compile(
            """
            #set($r = $input.path('$'))
            #foreach($k in $r.keySet())$k=$r.get($k)#if($foreach.hasNext),#end#end
            $input.json('$.a') $input.json('$..b') $input.path('$.a').size() $r.a[1].b $r
            $util.escapeJavaScript($input.params('p')).replaceAll("\\\\'", "'")
            $util.urlEncode('a b') $util.urlDecode('a+b') $util.base64Encode('x')
            $util.base64Decode('eA==') $util.parseJson('{"x":[1]}').x.size()
            #set($l = [1, 'two'])#set($m = {'k': $l})#set($m.j = 2)#set($m['h'] = 3)$l $m
            #foreach($i in [1..3])#if($i == 2 && $i != 3)$i#elseif($i > 2)#break#end#end
            #macro(twice $x)$x$x#end#twice('a') $context.stage $stageVariables.v $input.body
            #set($context.responseOverride.status = 200)
            #set($context.responseOverride.header['X-A'] = 'b')
            """);
    TemplateInput input =
        new TemplateInput(
            "{\"a\":[1,{\"b\":2.5}]}",
            Map.of("p", "it's"),
            Map.of("q", "1"),
            Map.of("H", "h"),
            Map.of("stage", "prod", "identity.sourceIp", "192.0.2.1"),
            Map.of("v", "1"));
    for (int i = 0; i < 3; i++) {
      Rendered rendered =
          template.render(input, TemplateBudget.DEFAULT.withTime(Duration.ofSeconds(30)));
      if (rendered instanceof Rendered.Failed failed) {
        // The engine itself is broken: better no gateway than one failing every template.
        throw new IllegalStateException(
            "the template engine fails its warm-up: " + failed.reason());
      }
    }
  }
}
