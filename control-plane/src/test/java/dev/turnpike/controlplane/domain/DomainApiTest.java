package dev.turnpike.controlplane.domain;

import static dev.turnpike.db.Tables.DOMAINS;
import static dev.turnpike.db.Tables.DOMAIN_MAPPINGS;
import static dev.turnpike.db.Tables.OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.migrations.TenantTransactions;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.dns.StandInDns;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import dev.turnpike.testkit.tls.TestCertificates;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Custom domains through the management API on a real database and a real Kafka broker: a verified
 * domain's record reaches the config topic with its key sealed, its deletion a tombstone; the name
 * is one tenant's across all, and row-level security and the schema keep other tenants out even
 * where the application would not.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainApiTest {
  private static final TestCertificates.Authority CA = TestCertificates.authority("Api Root");
  private static final String KEY = SealedSecrets.newBase64Key();

  private KafkaBroker kafka;
  private StandInDns dns;
  private TestDatabase db;
  private TestControlPlane cp;
  private ApiClient api;
  private String token;
  private Fixture fx;

  @BeforeAll
  void start(TestDatabase db) {
    this.db = db;
    kafka = KafkaBroker.start();
    dns = StandInDns.start();
    cp =
        TestControlPlane.start(
            db,
            kafka.bootstrapServers(),
            Map.of("TURNPIKE_SECRET_KEY", KEY, "TURNPIKE_CP_DOMAIN_DNS_SERVERS", dns.address()));
    api = cp.client();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
  }

  @AfterAll
  void stop() {
    cp.close();
    dns.close();
    kafka.close();
  }

  private static String domains(String tenant) {
    return "/v1/tenants/" + tenant + "/domains";
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
  }

  /** Registered, proved and verified through the API. */
  private JsonObject proven(String tenant, String name) {
    ApiClient.Answer created =
        api.post(token, domains(tenant), new JsonObject().put("domainName", name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonObject verification = created.json().getJsonObject("verification");
    dns.txt(verification.getString("recordName"), verification.getString("recordValue"));
    ApiClient.Answer verified =
        api.post(token, domains(tenant) + "/" + name + "/verify", new JsonObject());
    assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
    return verified.json();
  }

  private ApiClient.Answer upload(String tenant, String name, String chain, String key) {
    return api.put(
        token,
        domains(tenant) + "/" + name + "/certificate",
        new JsonObject().put("certificateChain", chain).put("privateKey", key));
  }

  @Test
  void a_verified_domains_record_reaches_kafka_with_its_key_sealed_and_leaves_as_a_tombstone() {
    String tenant = fx.tenant();
    String name = unique("live");
    proven(tenant, name);
    TestCertificates.Issued cert = CA.intermediate("Issuing").server(name);
    ApiClient.Answer uploaded = upload(tenant, name, cert.chainPem(), cert.privateKeyPem());
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
    assertThat(uploaded.json().getString("status")).isEqualTo("AVAILABLE");
    assertThat(uploaded.body()).doesNotContain("PRIVATE KEY").doesNotContain("v1:");

    String stored =
        db.ownerDsl()
            .select(DOMAINS.SEALED_PRIVATE_KEY)
            .from(DOMAINS)
            .where(DOMAINS.NAME.eq(name))
            .fetchOne(DOMAINS.SEALED_PRIVATE_KEY);
    assertThat(stored).startsWith("v1:").doesNotContain("PRIVATE KEY");

    List<ConsumerRecord<String, byte[]>> published = awaitRecords(name, 1);
    assertThat(published).hasSize(1);
    String json = new String(published.get(0).value(), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("PRIVATE KEY");
    DomainRecord record = DomainRecord.CODEC.decode(published.get(0).value());
    assertThat(record.tenantId()).isEqualTo(tenant);
    assertThat(record.certificateChainPem()).isEqualTo(cert.chainPem());
    assertThat(SealedSecrets.fromBase64Key(KEY).open(record.sealedPrivateKey(), name))
        .isEqualTo(cert.privateKeyPem());

    assertThat(api.delete(token, domains(tenant) + "/" + name).status()).isEqualTo(204);
    List<ConsumerRecord<String, byte[]>> both = awaitRecords(name, 2);
    assertThat(both).hasSize(2);
    assertThat(both.get(1).value()).isNull();
  }

  @Test
  void an_unverified_domain_is_never_published_and_verification_is_409_without_the_record() {
    String tenant = fx.tenant();
    String name = unique("unproven");
    ApiClient.Answer created =
        api.post(token, domains(tenant), new JsonObject().put("domainName", name));
    assertThat(created.status()).isEqualTo(201);
    TestCertificates.Issued cert = CA.server(name);
    assertThat(upload(tenant, name, cert.chainPem(), cert.privateKeyPem()).status()).isEqualTo(200);
    ApiClient.Answer verify =
        api.post(token, domains(tenant) + "/" + name + "/verify", new JsonObject());
    assertThat(verify.status()).as(verify.toString()).isEqualTo(409);
    assertThat(verify.json().getString("detail")).contains("_turnpike-challenge." + name);
    assertThat(
            db.ownerDsl()
                .fetchCount(OUTBOX, OUTBOX.TOPIC.eq(Topics.DOMAINS), OUTBOX.MESSAGE_KEY.eq(name)))
        .isZero();
  }

  @Test
  void a_bad_certificate_is_a_400_problem_naming_its_field() {
    String tenant = fx.tenant();
    String name = unique("badcert");
    proven(tenant, name);
    TestCertificates.Issued other = CA.server("elsewhere.example.org");
    ApiClient.Answer answer = upload(tenant, name, other.chainPem(), other.privateKeyPem());
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/certificateChain");
    assertThat(api.get(token, domains(tenant) + "/" + name).json().getString("status"))
        .isEqualTo("PENDING_CERTIFICATE");
  }

  @Test
  void another_tenant_gets_409_for_a_taken_name_and_sees_nothing_of_it() {
    String tenant = fx.tenant();
    String name = unique("taken");
    proven(tenant, name);
    String rivalToken = cp.token("rival-" + UUID.randomUUID());
    Fixture rival = new Fixture(api, rivalToken);
    String rivalTenant = rival.tenant();

    ApiClient.Answer conflict =
        api.post(
            rivalToken,
            domains(rivalTenant),
            new JsonObject().put("domainName", name.toUpperCase()));
    assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
    assertThat(conflict.body()).doesNotContain(tenant);
    assertThat(api.get(rivalToken, domains(rivalTenant)).items()).isEmpty();
    assertThat(api.get(rivalToken, domains(rivalTenant) + "/" + name).status()).isEqualTo(404);
    // Through the owner's tenant path, the rival is not a member.
    assertThat(api.get(rivalToken, domains(tenant) + "/" + name).status()).isIn(403, 404);

    // Row-level security: in the rival's scope the row does not exist, even without a predicate.
    DSLContext app = db.appDsl();
    int visible =
        TenantTransactions.inTenant(
            app, UUID.fromString(rivalTenant), c -> c.dsl().fetchCount(DOMAINS));
    assertThat(visible).isZero();
  }

  @Test
  void a_mapping_to_another_tenants_api_is_refused_by_the_api_and_by_the_schema() {
    String tenant = fx.tenant();
    String name = unique("mapped");
    proven(tenant, name);
    String rivalToken = cp.token("rival-" + UUID.randomUUID());
    Fixture rival = new Fixture(api, rivalToken);
    String rivalTenant = rival.tenant();
    String rivalApi = rival.api(rivalTenant);
    rival.stage(rivalTenant, rivalApi, "prod");

    ApiClient.Answer refused =
        api.post(
            token,
            domains(tenant) + "/" + name + "/mappings",
            new JsonObject().put("basePath", "").put("apiId", rivalApi).put("stage", "prod"));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/apiId");

    // The schema refuses it even to a writer that skipped the check.
    assertThatThrownBy(
            () ->
                TenantTransactions.inTenant(
                    db.appDsl(),
                    UUID.fromString(tenant),
                    c ->
                        c.dsl()
                            .insertInto(DOMAIN_MAPPINGS)
                            .set(DOMAIN_MAPPINGS.TENANT_ID, UUID.fromString(tenant))
                            .set(DOMAIN_MAPPINGS.DOMAIN_NAME, name)
                            .set(DOMAIN_MAPPINGS.BASE_PATH, "")
                            .set(DOMAIN_MAPPINGS.API_ID, UUID.fromString(rivalApi))
                            .set(DOMAIN_MAPPINGS.STAGE, "prod")
                            .execute()))
        .isInstanceOf(DataAccessException.class);
  }

  @Test
  void mappings_are_published_and_deleting_their_api_republishes_the_domain_without_them() {
    String tenant = fx.tenant();
    String name = unique("apigone");
    proven(tenant, name);
    TestCertificates.Issued cert = CA.server(name);
    assertThat(upload(tenant, name, cert.chainPem(), cert.privateKeyPem()).status()).isEqualTo(200);
    String apiId = fx.api(tenant);
    fx.stage(tenant, apiId, "prod");
    ApiClient.Answer mapped =
        api.post(
            token,
            domains(tenant) + "/" + name + "/mappings",
            new JsonObject().put("basePath", "v1").put("apiId", apiId).put("stage", "prod"));
    assertThat(mapped.status()).as(mapped.toString()).isEqualTo(201);
    assertThat(lastRecord(name).mappings()).extracting(m -> m.basePath()).containsExactly("v1");
    assertThat(api.get(token, domains(tenant) + "/" + name + "/mappings").items()).hasSize(1);

    assertThat(api.delete(token, "/v1/tenants/" + tenant + "/apis/" + apiId).status())
        .isEqualTo(204);
    assertThat(lastRecord(name).mappings()).isEmpty();
    assertThat(api.get(token, domains(tenant) + "/" + name + "/mappings").items()).isEmpty();
  }

  /** The domain's records on the topic once there are {@code count} (other tests publish too). */
  private List<ConsumerRecord<String, byte[]>> awaitRecords(String name, int count) {
    AtomicReference<List<ConsumerRecord<String, byte[]>>> found = new AtomicReference<>(List.of());
    Await.until(
        Duration.ofSeconds(30),
        () -> {
          found.set(
              kafka.readToEnd(Topics.DOMAINS, Duration.ofSeconds(10)).stream()
                  .filter(r -> r.key().equals(name))
                  .toList());
          return found.get().size() >= count;
        },
        () -> count + " records of " + name + " on " + Topics.DOMAINS + ", found " + found.get());
    return found.get();
  }

  private DomainRecord lastRecord(String name) {
    byte[] payload =
        db.ownerDsl()
            .select(OUTBOX.PAYLOAD)
            .from(OUTBOX)
            .where(OUTBOX.TOPIC.eq(Topics.DOMAINS), OUTBOX.MESSAGE_KEY.eq(name))
            .orderBy(OUTBOX.ID.desc())
            .limit(1)
            .fetchOne(OUTBOX.PAYLOAD);
    return DomainRecord.CODEC.decode(payload);
  }
}
