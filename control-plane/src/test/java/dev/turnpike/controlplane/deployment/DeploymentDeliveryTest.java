package dev.turnpike.controlplane.deployment;

import static dev.turnpike.db.Tables.DEPLOYMENTS;
import static dev.turnpike.db.Tables.OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A deployment's way to the gateways: refused at deploy time when its config record is over the
 * limit, and reported failed when Kafka refuses a record that got past the check, while the relay
 * goes on with everything behind it.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class DeploymentDeliveryTest {
  /**
   * An API of mock integrations with random bodies: about {@code count * 40 KB}, incompressible.
   */
  record LargeApi(String tenant, String apiId, String stageId) {
    static LargeApi create(Fixture fixture, int count) {
      String tenant = fixture.tenant();
      String apiId = fixture.api(tenant);
      Random random = new Random(count);
      for (int i = 0; i < count; i++) {
        String integration =
            fixture
                .created(
                    "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations",
                    new JsonObject()
                        .put("type", "mock")
                        .put(
                            "mock",
                            new JsonObject()
                                .put("statusCode", 200)
                                .put("body", randomText(random, 40_000))))
                .getString("id");
        fixture.route(tenant, apiId, integration, "GET", "/r" + i);
      }
      return new LargeApi(tenant, apiId, fixture.stage(tenant, apiId, "prod"));
    }

    String base() {
      return "/v1/tenants/" + tenant + "/apis/" + apiId;
    }
  }

  static String randomText(Random random, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  @Nested
  class SizeCheck {
    @Test
    void refuses_a_deployment_over_the_record_limit_with_422_and_changes_nothing(TestDatabase db) {
      try (TestControlPlane cp =
          TestControlPlane.start(
              db,
              null,
              Map.of("TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES", Integer.toString(64 * 1024)))) {
        String token = cp.token("owner-" + UUID.randomUUID());
        LargeApi api = LargeApi.create(new Fixture(cp.client(), token), 3);

        ApiClient.Answer answer =
            cp.client()
                .post(
                    token,
                    api.base() + "/deployments",
                    new JsonObject().put("stageId", api.stageId()));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(422);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonObject problem = answer.json();
        assertThat(problem.getString("type"))
            .isEqualTo("https://turnpike.dev/problems/deployment-too-large");
        assertThat(problem.getString("detail"))
            .contains("Stage 'prod' cannot be delivered")
            .containsPattern("is 0\\.1 MB \\([0-9,]+ bytes\\) compressed")
            .contains("over the limit of 0.1 MB (65,536 bytes)");
        DSLContext owner = db.ownerDsl();
        UUID tenant = UUID.fromString(api.tenant());
        assertThat(owner.fetchCount(DEPLOYMENTS, DEPLOYMENTS.TENANT_ID.eq(tenant))).isZero();
        assertThat(
                owner.fetchCount(
                    OUTBOX, OUTBOX.TENANT_ID.eq(tenant), OUTBOX.TOPIC.eq(Topics.DEPLOYMENTS)))
            .isZero();
        JsonObject stage = cp.client().get(token, api.base() + "/stages/" + api.stageId()).json();
        assertThat(stage.getString("deploymentId")).isNull();
        assertThat(stage.getValue("delivery")).isNull();
      }
    }

    @Test
    void accepts_a_deployment_within_the_limit_as_pending_until_relayed(TestDatabase db) {
      try (TestControlPlane cp = TestControlPlane.start(db)) {
        String token = cp.token("owner-" + UUID.randomUUID());
        LargeApi api = LargeApi.create(new Fixture(cp.client(), token), 1);

        JsonObject deployment =
            new Fixture(cp.client(), token).deploy(api.tenant(), api.apiId(), api.stageId());

        assertThat(deployment.getString("status")).isEqualTo("pending");
        assertThat(deployment.getValue("failure")).isNull();
        JsonObject stage = cp.client().get(token, api.base() + "/stages/" + api.stageId()).json();
        assertThat(stage.getJsonObject("delivery").getString("status")).isEqualTo("pending");
      }
    }
  }

  @Nested
  class Relaying {
    /**
     * The deployments topic of a broker of its own holds 64 KiB, and the control plane's check is
     * raised above it: a large deployment is accepted and then refused by Kafka, as one deployed
     * before the check existed would be.
     */
    @Test
    void reports_a_deployment_kafka_refuses_as_failed_and_relays_what_follows(TestDatabase db)
        throws Exception {
      try (KafkaBroker kafka = KafkaBroker.start()) {
        createDeploymentsTopic(kafka, 64 * 1024);
        try (TestControlPlane cp =
            TestControlPlane.start(
                db,
                kafka.bootstrapServers(),
                Map.of(
                    "TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES",
                    Integer.toString(16 << 20),
                    "TURNPIKE_CP_MAX_CONFIG_RECORD_RAW_BYTES",
                    Integer.toString(16 << 20),
                    "TURNPIKE_CP_ADMIN_PORT",
                    "0"))) {
          String token = cp.token("owner-" + UUID.randomUUID());
          Fixture fixture = new Fixture(cp.client(), token);
          LargeApi large = LargeApi.create(fixture, 3);
          LargeApi small = LargeApi.create(fixture, 1);

          String refused =
              fixture.deploy(large.tenant(), large.apiId(), large.stageId()).getString("id");
          String accepted =
              fixture.deploy(small.tenant(), small.apiId(), small.stageId()).getString("id");

          JsonObject failed = settled(cp, token, large.base() + "/deployments/" + refused);
          assertThat(failed.getString("status")).isEqualTo("failed");
          assertThat(failed.getString("failure"))
              .contains("exceeds the size limit Kafka accepts")
              .contains("0.1 MB (0.1 MB compressed)");
          assertThat(cp.client().get(token, large.base() + "/deployments").items())
              .singleElement()
              .satisfies(d -> assertThat(((JsonObject) d).getString("status")).isEqualTo("failed"));
          JsonObject stage =
              cp.client().get(token, large.base() + "/stages/" + large.stageId()).json();
          assertThat(stage.getJsonObject("delivery").getString("status")).isEqualTo("failed");
          assertThat(stage.getJsonObject("delivery").getString("failure"))
              .isEqualTo(failed.getString("failure"));

          JsonObject published = settled(cp, token, small.base() + "/deployments/" + accepted);
          assertThat(published.getString("status")).isEqualTo("published");
          assertThat(published.getValue("failure")).isNull();
          assertThat(metrics(cp))
              .contains(
                  "turnpike_outbox_records_parked_total{topic=\"turnpike.config.deployments\"} 1.0");
        }
      }
    }
  }

  /** The deployment once the relay has dealt with it. */
  static JsonObject settled(TestControlPlane cp, String token, String path) {
    JsonObject[] last = new JsonObject[1];
    Await.until(
        Duration.ofSeconds(30),
        () -> {
          last[0] = cp.client().get(token, path).json();
          return !"pending".equals(last[0].getString("status"));
        },
        () -> "the deployment is no longer pending: " + last[0]);
    return last[0];
  }

  static String metrics(TestControlPlane cp) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + cp.controlPlane().adminPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static void createDeploymentsTopic(KafkaBroker kafka, int maxMessageBytes) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(Topics.DEPLOYMENTS, 1, (short) 1)
                      .configs(
                          Map.of(
                              TopicConfig.CLEANUP_POLICY_CONFIG,
                              TopicConfig.CLEANUP_POLICY_COMPACT,
                              TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                              Integer.toString(maxMessageBytes)))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }
}
