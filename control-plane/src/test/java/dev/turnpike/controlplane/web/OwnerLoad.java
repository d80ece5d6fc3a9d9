package dev.turnpike.controlplane.web;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One owner of {@link ManagementApiLoadBenchmark}: sets up a tenant of their own (an API with a
 * mock integration and a route, a stage deployed once, an app with a key), then sends requests one
 * after another, each picked at random by the operations' weights, until the run ends.
 */
final class OwnerLoad {
  /** The workload: 70% reads, 30% writes, in this owner's tenant. */
  enum Operation {
    LIST_APIS("list APIs", false, 7),
    GET_API("get API", false, 7),
    LIST_KEYS("list keys", false, 7),
    GET_STAGE("get stage", false, 7),
    CREATE_ROUTE("create route", true, 3),
    UPDATE_STAGE("update stage", true, 3),
    CREATE_KEY("create key", true, 3),
    DEPLOY("deploy", true, 3);

    final String label;
    final boolean write;
    final int weight;

    Operation(String label, boolean write, int weight) {
      this.label = label;
      this.write = write;
      this.weight = weight;
    }

    private static final Operation[] BY_TICKET = tickets();

    private static Operation[] tickets() {
      List<Operation> tickets = new ArrayList<>();
      for (Operation op : values()) {
        for (int i = 0; i < op.weight; i++) {
          tickets.add(op);
        }
      }
      return tickets.toArray(Operation[]::new);
    }

    static Operation pick(SplittableRandom random) {
      return BY_TICKET[random.nextInt(BY_TICKET.length)];
    }

    static double readShare() {
      int reads = 0;
      for (Operation op : values()) {
        reads += op.write ? 0 : op.weight;
      }
      return reads / (double) BY_TICKET.length;
    }
  }

  private static final int MAX_ERRORS_KEPT = 5;

  private final HttpClient http;
  private final String base;
  private final String token;
  private final int index;
  private final SplittableRandom random;
  private final Map<Operation, Latencies> latencies = new EnumMap<>(Operation.class);
  private final List<String> errors = new ArrayList<>();
  private long errorCount;
  private int routes;
  private int writes;
  private String tenant;
  private String api;
  private String integration;
  private String stage;
  private String app;

  OwnerLoad(HttpClient http, int port, String token, int index) {
    this.http = http;
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
    this.index = index;
    this.random = new SplittableRandom(index);
  }

  /** Creates this owner's tenant and what the workload reads and changes. */
  void setUp() throws IOException, InterruptedException {
    String slug = "bench-" + index;
    tenant = created("/v1/tenants", new JsonObject().put("slug", slug).put("name", slug));
    String apis = "/v1/tenants/" + tenant + "/apis";
    api = created(apis, new JsonObject().put("slug", "pets").put("name", "Pets"));
    integration =
        created(
            apis + "/" + api + "/integrations",
            new JsonObject()
                .put("type", "mock")
                .put("mock", new JsonObject().put("statusCode", 200)));
    createRoute();
    stage =
        created(
            apis + "/" + api + "/stages",
            new JsonObject().put("name", "prod").put("variables", new JsonObject().put("v", "0")));
    app =
        created(
            "/v1/tenants/" + tenant + "/apps", new JsonObject().put("name", "Bench app " + index));
    created("/v1/tenants/" + tenant + "/apps/" + app + "/keys", new JsonObject().put("name", "k"));
    created(
        apis + "/" + api + "/deployments",
        new JsonObject().put("stageId", stage).put("description", "first"));
  }

  /**
   * Sends requests until {@code until} (System.nanoTime), recording those that start at or after
   * {@code measureFrom}.
   */
  void run(long measureFrom, long until) throws InterruptedException {
    long now = System.nanoTime();
    while (now < until) {
      Operation op = Operation.pick(random);
      HttpRequest request = request(op);
      String failure;
      long start = now;
      try {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        failure =
            answer.statusCode() / 100 == 2
                ? null
                : answer.statusCode() + " " + abbreviated(answer.body());
      } catch (IOException e) {
        failure = e.toString();
      }
      now = System.nanoTime();
      if (start >= measureFrom) {
        latencies.computeIfAbsent(op, k -> new Latencies()).add(now - start, failure != null);
        if (failure != null) {
          errorCount++;
          if (errors.size() < MAX_ERRORS_KEPT) {
            errors.add(op.label + " " + request.uri().getPath() + ": " + failure);
          }
        }
      }
    }
  }

  Map<Operation, Latencies> latencies() {
    return latencies;
  }

  List<String> errors() {
    return errors;
  }

  long errorCount() {
    return errorCount;
  }

  private HttpRequest request(Operation op) {
    String apis = "/v1/tenants/" + tenant + "/apis";
    String keys = "/v1/tenants/" + tenant + "/apps/" + app + "/keys";
    String stagePath = apis + "/" + api + "/stages/" + stage;
    return switch (op) {
      case LIST_APIS -> get(apis);
      case GET_API -> get(apis + "/" + api);
      case LIST_KEYS -> get(keys);
      case GET_STAGE -> get(stagePath);
      case CREATE_ROUTE -> send("POST", apis + "/" + api + "/routes", route());
      case UPDATE_STAGE ->
          send(
              "PUT",
              stagePath,
              new JsonObject()
                  .put("description", "update " + ++writes)
                  .put("variables", new JsonObject().put("v", Integer.toString(writes))));
      case CREATE_KEY -> send("POST", keys, new JsonObject().put("name", "k" + ++writes));
      case DEPLOY ->
          send(
              "POST",
              apis + "/" + api + "/deployments",
              new JsonObject().put("stageId", stage).put("description", "release " + ++writes));
    };
  }

  private void createRoute() throws IOException, InterruptedException {
    created("/v1/tenants/" + tenant + "/apis/" + api + "/routes", route());
  }

  /** A new route each time: a path this API does not have yet. */
  private JsonObject route() {
    return new JsonObject()
        .put("method", "GET")
        .put("resourcePath", "/items" + ++routes)
        .put("apiKeyRequired", true)
        .put("integrationId", integration);
  }

  private String created(String path, JsonObject body) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        http.send(send("POST", path, body), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 201) {
      throw new IllegalStateException(
          "setting up owner "
              + index
              + ": POST "
              + path
              + " -> "
              + answer.statusCode()
              + " "
              + abbreviated(answer.body()));
    }
    return new JsonObject(answer.body()).getString("id");
  }

  private HttpRequest get(String path) {
    return builder(path).GET().build();
  }

  private HttpRequest send(String method, String path, JsonObject body) {
    return builder(path)
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
  }

  private HttpRequest.Builder builder(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(60));
  }

  private static String abbreviated(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }
}
