package dev.turnpike.platform.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.platform.PlatformException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Seeds the demo the README's tour starts from, through the management API as the demo owner: a
 * tenant {@code demo} with the API {@code hello} (GET /hello and ANY /echo, proxied to the {@link
 * DemoBackend}; ANY /function, an {@code aws_proxy} integration invoking the demo backend's {@link
 * DemoFunction}, registered as the tenant's function {@value DemoBackend#FUNCTION}; GET {@value
 * #TEMPLATE_PATH}, a mock shaped by mapping templates; with the platform's Keycloak as issuer, GET
 * {@value #JWT_PATH} behind a JWT authorizer instead of a key, echoing which client called), its
 * stage {@code prod} deployed, a free and a paid usage plan on that stage, and an app on the free
 * plan with one API key. Each piece is made only if missing, so a second {@code up} changes nothing
 * (and a state folder from before a piece existed gets it); the demo developer signs in once so the
 * portal knows them.
 *
 * <p>The key is shown once by the API, so it is kept in {@code demo-api-key.txt} in the state
 * folder (readable by its owner only) for later runs to print.
 */
public final class DemoSeed {
  public static final String TENANT = "demo";
  public static final String API = "hello";
  public static final String STAGE = "prod";
  public static final String FREE_PLAN = "Free";
  public static final String PAID_PLAN = "Pro";
  static final String APP = "Demo app";

  /** The route that invokes the demo function. */
  public static final String FUNCTION_PATH = "/function";

  /**
   * The route a mock integration answers through mapping templates: its request template picks the
   * integration response from the query, the response template writes the body.
   */
  public static final String TEMPLATE_PATH = "/quote";

  /** The route that takes a bearer token from the realm instead of an API key. */
  public static final String JWT_PATH = "/whoami";

  /** The demo API's JWT authorizer, with the realm as issuer. */
  public static final String JWT_AUTHORIZER = "keycloak";

  /** The header through which the JWT route tells the backend which client called ({@code azp}). */
  public static final String CALLER_HEADER = "x-caller";

  /** Well under API Gateway's 29 s: the demo function answers at once. */
  static final int FUNCTION_TIMEOUT_MILLIS = 5000;

  /** From {@code infra/keycloak/turnpike-realm.json}; see its README. */
  public static final String CLI_CLIENT = "turnpike-cli";

  public static final String OWNER = "demo-owner";
  public static final String OWNER_PASSWORD = "turnpike-demo-owner";
  public static final String DEVELOPER = "demo-developer";
  public static final String DEVELOPER_PASSWORD = "turnpike-demo-developer";

  /**
   * Where tokens for the demo's JWT route come from: the realm's issuer (as its tokens carry it in
   * {@code iss}) and the audience its client-credentials client's tokens carry.
   */
  public record JwtIssuer(String issuer, String audience) {}

  /**
   * What the summary prints.
   *
   * @param tenantId the tenant's id, which egress grants are keyed by
   * @param jwtRoute whether {@value #JWT_PATH} is seeded (only with the platform's own Keycloak)
   */
  public record Demo(
      String tenant, String tenantId, String api, String stage, String apiKey, boolean jwtRoute) {
    /** The demo's base URL on a gateway, path style: {@code /{tenant}/{api}/{stage}}. */
    public String baseUrl(int gatewayPort) {
      return "http://localhost:" + gatewayPort + "/" + tenant + "/" + api + "/" + stage;
    }

    public String helloUrl(int gatewayPort) {
      return baseUrl(gatewayPort) + "/hello";
    }

    /** The route behind the JWT authorizer. */
    public String jwtUrl(int gatewayPort) {
      return baseUrl(gatewayPort) + JWT_PATH;
    }

    /** The route whose aws_proxy integration invokes the demo function. */
    public String functionUrl(int gatewayPort) {
      return baseUrl(gatewayPort) + FUNCTION_PATH;
    }
  }

  private final String controlPlaneUrl;
  private final String tokenEndpoint;
  private final String backendAddress;
  private final Path keyFile;
  private final JwtIssuer jwtIssuer;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param backendAddress {@code host:port} of the demo backend as the gateway reaches it
   */
  public DemoSeed(
      String controlPlaneUrl, String tokenEndpoint, String backendAddress, Path stateDir) {
    this(controlPlaneUrl, tokenEndpoint, backendAddress, stateDir, null);
  }

  /**
   * @param jwtIssuer the issuer of the JWT route's tokens; null for no JWT route
   */
  public DemoSeed(
      String controlPlaneUrl,
      String tokenEndpoint,
      String backendAddress,
      Path stateDir,
      JwtIssuer jwtIssuer) {
    this.controlPlaneUrl = controlPlaneUrl;
    this.tokenEndpoint = tokenEndpoint;
    this.backendAddress = backendAddress;
    this.keyFile = stateDir.resolve("demo-api-key.txt");
    this.jwtIssuer = jwtIssuer;
  }

  public Demo run() {
    String developerToken =
        ManagementApi.passwordGrant(http, tokenEndpoint, CLI_CLIENT, DEVELOPER, DEVELOPER_PASSWORD);
    new ManagementApi(http, controlPlaneUrl, developerToken).get("/v1/me");

    ManagementApi api =
        new ManagementApi(
            http,
            controlPlaneUrl,
            ManagementApi.passwordGrant(http, tokenEndpoint, CLI_CLIENT, OWNER, OWNER_PASSWORD));
    api.get("/v1/me");
    String tenant =
        api.find("/v1/tenants", ManagementApi.field("slug", TENANT))
            .orElseGet(
                () -> api.post("/v1/tenants", object().put("slug", TENANT).put("name", "Demo Co")))
            .path("id")
            .asText();
    String base = "/v1/tenants/" + tenant;
    String apiId =
        api.find(base + "/apis", ManagementApi.field("slug", API))
            .orElseGet(() -> createApi(api, base))
            .path("id")
            .asText();
    String apiBase = base + "/apis/" + apiId;
    JsonNode stage =
        api.find(apiBase + "/stages", ManagementApi.field("name", STAGE))
            .orElseGet(
                () ->
                    api.post(
                        apiBase + "/stages",
                        object()
                            .put("name", STAGE)
                            .put("description", "What the demo developer calls")
                            .set("variables", object().put("backend", backendAddress))));
    String stageId = stage.path("id").asText();
    boolean moved = !backendAddress.equals(stage.path("variables").path("backend").asText());
    if (moved) {
      // TURNPIKE_DEMO_BACKEND_PORT changed since the last run.
      api.put(
          apiBase + "/stages/" + stageId,
          object().set("variables", object().put("backend", backendAddress)));
    }
    // A deployment keeps the function target it resolved: a function moved or a route added
    // reaches the gateway only with a new deployment.
    boolean functionChanged = registerFunction(api, base);
    boolean routeAdded = functionRoute(api, apiBase);
    routeAdded |= templateRoute(api, apiBase);
    boolean jwtChanged = jwtIssuer != null && jwtRoute(api, apiBase);
    if (moved
        || functionChanged
        || routeAdded
        || jwtChanged
        || stage.path("deploymentId").isNull()
        || stage.path("deploymentId").isMissingNode()) {
      api.post(
          apiBase + "/deployments",
          object().put("stageId", stageId).put("description", "demo seeded by ./turnpike up"));
    }
    String freePlan = plan(api, base, apiId, FREE_PLAN);
    plan(api, base, apiId, PAID_PLAN);
    return new Demo(TENANT, tenant, API, STAGE, demoKey(api, base, freePlan), jwtIssuer != null);
  }

  private JsonNode createApi(ManagementApi api, String base) {
    JsonNode created =
        api.post(
            base + "/apis",
            object()
                .put("slug", API)
                .put("name", "Hello API")
                .put(
                    "description",
                    "A greeting, an echo and a function, served by the demo backend"));
    String apiBase = base + "/apis/" + created.path("id").asText();
    route(api, apiBase, "GET", "/hello", "GET", "/hello");
    route(api, apiBase, "ANY", "/echo", "ANY", "/echo");
    return created;
  }

  /**
   * Registers the demo function at the demo backend's Invoke API, or re-registers it if the backend
   * moved; true if the registration changed.
   */
  private boolean registerFunction(ManagementApi api, String base) {
    String invokeUrl = "http://" + backendAddress;
    boolean current =
        api.find(base + "/functions", ManagementApi.field("name", DemoBackend.FUNCTION))
            .filter(f -> invokeUrl.equals(f.path("invokeUrl").asText()))
            .filter(f -> f.path("timeoutMillis").asInt() == FUNCTION_TIMEOUT_MILLIS)
            .isPresent();
    if (current) {
      return false;
    }
    api.put(
        base + "/functions/" + DemoBackend.FUNCTION,
        object().put("invokeUrl", invokeUrl).put("timeoutMillis", FUNCTION_TIMEOUT_MILLIS));
    return true;
  }

  /**
   * ANY /function with an aws_proxy integration (payload 1.0, the REST API's proxy event) to the
   * demo function, unless the API has it; true if it was added.
   */
  private static boolean functionRoute(ManagementApi api, String apiBase) {
    boolean present =
        api.find(apiBase + "/routes", ManagementApi.field("resourcePath", FUNCTION_PATH))
            .isPresent();
    if (present) {
      return false;
    }
    String integration =
        api.post(
                apiBase + "/integrations",
                object()
                    .put("type", "aws_proxy")
                    .put("function", DemoBackend.FUNCTION)
                    .put("payloadFormatVersion", "1.0")
                    .put("timeoutMillis", FUNCTION_TIMEOUT_MILLIS))
            .path("id")
            .asText();
    api.post(
        apiBase + "/routes",
        object()
            .put("method", "ANY")
            .put("resourcePath", FUNCTION_PATH)
            .put("apiKeyRequired", true)
            .put("integrationId", integration));
    return true;
  }

  /**
   * GET {@value #TEMPLATE_PATH}, a mock integration shaped by mapping templates as API Gateway's
   * REST APIs are: the request template answers {@code statusCode} 400 without a {@code symbol}
   * query parameter, which the selection pattern {@code 400} turns into a 400 with its own body;
   * otherwise the default response's template writes a quote from the query and {@code $context},
   * with a literal header mapped in. True if it was added.
   */
  private static boolean templateRoute(ManagementApi api, String apiBase) {
    boolean present =
        api.find(apiBase + "/routes", ManagementApi.field("resourcePath", TEMPLATE_PATH))
            .isPresent();
    if (present) {
      return false;
    }
    ObjectNode integration = object().put("type", "mock");
    integration
        .putObject("requestTemplates")
        .put(
            "application/json",
            "#if($input.params('symbol') == \"\")\n{\"statusCode\": 400}\n"
                + "#else\n{\"statusCode\": 200}\n#end");
    ArrayNode responses = integration.putArray("integrationResponses");
    ObjectNode missing =
        responses.addObject().put("selectionPattern", "400").put("statusCode", 400);
    missing
        .putObject("responseTemplates")
        .put("application/json", "{\"message\": \"Say which symbol: ?symbol=ACME\"}");
    ObjectNode quote = responses.addObject().put("statusCode", 200);
    quote
        .putObject("responseParameters")
        .put("method.response.header.x-quote-source", "'turnpike mock'");
    quote
        .putObject("responseTemplates")
        .put(
            "application/json",
            "#set($symbol = $input.params('symbol'))\n"
                + "{\"symbol\": \"$util.escapeJavaScript($symbol)\", \"price\": 42.5,"
                + " \"stage\": \"$context.stage\", \"requestId\": \"$context.requestId\"}");
    String integrationId = api.post(apiBase + "/integrations", integration).path("id").asText();
    api.post(
        apiBase + "/routes",
        object()
            .put("method", "GET")
            .put("resourcePath", TEMPLATE_PATH)
            .put("apiKeyRequired", true)
            .put("integrationId", integrationId));
    return true;
  }

  /**
   * The JWT authorizer {@value #JWT_AUTHORIZER} (the realm as issuer, the demo audience) and GET
   * {@value #JWT_PATH} behind it, no API key, echoed by the demo backend with the token's {@code
   * azp} (the client that asked for it) in {@value #CALLER_HEADER}; true if anything changed. The
   * authorizer is restated when the issuer moved (another Keycloak port).
   */
  private boolean jwtRoute(ManagementApi api, String apiBase) {
    String authorizerPath = apiBase + "/authorizers/" + JWT_AUTHORIZER;
    boolean current =
        api.find(apiBase + "/authorizers", ManagementApi.field("name", JWT_AUTHORIZER))
            .filter(a -> jwtIssuer.issuer().equals(a.path("jwt").path("issuer").asText()))
            .filter(
                a ->
                    a.path("jwt").path("audience").size() == 1
                        && jwtIssuer
                            .audience()
                            .equals(a.path("jwt").path("audience").get(0).asText()))
            .isPresent();
    if (!current) {
      ObjectNode jwt = object().put("issuer", jwtIssuer.issuer());
      jwt.putArray("audience").add(jwtIssuer.audience());
      api.put(authorizerPath, object().put("type", "jwt").set("jwt", jwt));
    }
    boolean present =
        api.find(apiBase + "/routes", ManagementApi.field("resourcePath", JWT_PATH)).isPresent();
    if (present) {
      return !current;
    }
    ObjectNode integration =
        object()
            .put("type", "http_proxy")
            .put("httpMethod", "GET")
            .put("uri", "http://${stageVariables.backend}/echo")
            .put("timeoutMillis", 5000);
    integration
        .putObject("requestParameters")
        .put("integration.request.header." + CALLER_HEADER, "context.authorizer.claims.azp");
    String integrationId = api.post(apiBase + "/integrations", integration).path("id").asText();
    api.post(
        apiBase + "/routes",
        object()
            .put("method", "GET")
            .put("resourcePath", JWT_PATH)
            .put("apiKeyRequired", false)
            .put("integrationId", integrationId)
            .put("authorizer", JWT_AUTHORIZER));
    return true;
  }

  private void route(
      ManagementApi api,
      String apiBase,
      String method,
      String path,
      String backendMethod,
      String backendPath) {
    String integration =
        api.post(
                apiBase + "/integrations",
                object()
                    .put("type", "http_proxy")
                    .put("httpMethod", backendMethod)
                    .put("uri", "http://${stageVariables.backend}" + backendPath)
                    .put("timeoutMillis", 5000))
            .path("id")
            .asText();
    api.post(
        apiBase + "/routes",
        object()
            .put("method", method)
            .put("resourcePath", path)
            .put("apiKeyRequired", true)
            .put("integrationId", integration));
  }

  private String plan(ManagementApi api, String base, String apiId, String name) {
    return api.find(base + "/usage-plans", ManagementApi.field("name", name))
        .orElseGet(() -> api.post(base + "/usage-plans", planBody(name, apiId)))
        .path("id")
        .asText();
  }

  static ObjectNode planBody(String name, String apiId) {
    boolean free = name.equals(FREE_PLAN);
    ObjectNode plan = object().put("name", name);
    plan.put(
        "description",
        free
            ? "Try the API: 1,000 requests a day, 5 a second"
            : "For production: 100,000 requests a month, 50 a second, USD 29 a month");
    plan.set(
        "throttle", object().put("rateLimit", free ? 5 : 50).put("burstLimit", free ? 10 : 100));
    plan.set(
        "quota",
        object().put("limit", free ? 1_000 : 100_000).put("period", free ? "DAY" : "MONTH"));
    plan.set(
        "pricing",
        free
            ? object().put("model", "free")
            : object().put("model", "flat").put("currency", "usd").put("flatFeeCents", 2900));
    ArrayNode stages = plan.putArray("apiStages");
    stages.add(object().put("apiId", apiId).put("stage", STAGE));
    return plan;
  }

  /** The demo app's key on the free plan: issued on the first run, read back after that. */
  private String demoKey(ManagementApi api, String base, String freePlan) {
    JsonNode app =
        api.find(base + "/apps", ManagementApi.field("name", APP))
            .orElseGet(
                () ->
                    api.post(
                        base + "/apps",
                        object().put("name", APP).put("description", "Calls the Hello API")));
    String appBase = base + "/apps/" + app.path("id").asText();
    if (api.find(appBase + "/subscriptions", ManagementApi.field("planId", freePlan)).isEmpty()) {
      api.post(appBase + "/subscriptions", object().put("planId", freePlan));
    }
    try {
      if (Files.isRegularFile(keyFile)) {
        return Files.readString(keyFile).strip();
      }
      String key = api.post(appBase + "/keys", object().put("name", "demo")).path("key").asText();
      Files.writeString(keyFile, key + "\n");
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
      return key;
    } catch (IOException e) {
      throw new PlatformException("cannot keep the demo key in " + keyFile, e);
    }
  }

  private static ObjectNode object() {
    return ManagementApi.json().createObjectNode();
  }
}
