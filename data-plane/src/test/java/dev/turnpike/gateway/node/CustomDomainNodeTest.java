package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.domain.BasePathMapping;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import dev.turnpike.gateway.domain.CertificateAuthority;
import dev.turnpike.gateway.http.TlsClient;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom domains through a whole node and a real Kafka: a record on the domains topic is served on
 * the node's TLS port without a restart, a swapped certificate reaches new handshakes within 2 s
 * while an open connection keeps working, a record that does not open leaves the others alone, and
 * a tombstone stops the domain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomDomainNodeTest {
  static final String TENANT = "t-acme";
  static final CertificateAuthority CA = CertificateAuthority.create("Node Test CA");

  @TempDir static Path dataDir;
  final String operatorKey = SealedSecrets.newBase64Key();
  final SealedSecrets secrets = SealedSecrets.fromBase64Key(operatorKey);
  KafkaBroker kafka;
  KafkaProducer<String, byte[]> producer;
  GatewayNode node;

  @BeforeAll
  void start() throws Exception {
    kafka = KafkaBroker.start();
    for (String topic : List.of(Topics.DEPLOYMENTS, Topics.DOMAINS)) {
      kafka.createTopic(topic, 1, true);
    }
    kafka.createTopic(Topics.USAGE, 3, false);
    producer = kafka.newProducer();
    producer
        .send(
            new ProducerRecord<>(
                Topics.DEPLOYMENTS,
                Topics.deploymentKey(TENANT, "api-pets", "prod"),
                DeploymentSnapshot.CODEC.encode(deployment())))
        .get();
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_GATEWAY_PORT", "0");
    env.put("TURNPIKE_GATEWAY_ADMIN_PORT", "0");
    env.put("TURNPIKE_GATEWAY_DOMAINS_PORT", "0");
    env.put("TURNPIKE_GATEWAY_HOST", "127.0.0.1");
    env.put("TURNPIKE_GATEWAY_EVENT_LOOPS", "2");
    env.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TURNPIKE_GATEWAY_DATA_DIR", dataDir.toString());
    env.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    env.put("TURNPIKE_SECRET_KEY", operatorKey);
    node =
        GatewayNode.start(NodeSettings.fromEnvironment(env))
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    Await.until(Duration.ofSeconds(30), node::ready, "the node ready");
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    producer.close();
    kafka.close();
  }

  @Test
  void domains_from_the_feed_are_served_swapped_and_removed_without_a_restart() throws Exception {
    CertificateAuthority.Issued first = CA.server("api.acme.test");
    publish(record("api.acme.test", first));
    Await.until(
        Duration.ofSeconds(10),
        () -> first.certificate().getSerialNumber().equals(served("api.acme.test")),
        "the domain served from the feed");

    // A record whose key was sealed for another name is skipped; the others keep being served.
    CertificateAuthority.Issued stolen = CA.server("stolen.acme.test");
    publish(
        new DomainRecord(
            1,
            "stolen.acme.test",
            TENANT,
            "acme",
            stolen.certificatePem(),
            secrets.seal(stolen.keyPem(), "api.acme.test"),
            TlsSecurityPolicy.TLS_1_2,
            null,
            null,
            List.of(new BasePathMapping("", "api-pets", "pets", "prod"))));
    CertificateAuthority.Issued marker = CA.server("marker.acme.test");
    publish(record("marker.acme.test", marker));
    Await.until(
        Duration.ofSeconds(10),
        () -> marker.certificate().getSerialNumber().equals(served("marker.acme.test")),
        "a later domain served");
    assertThat(served("stolen.acme.test")).isNull();
    assertThat(served("api.acme.test")).isEqualTo(first.certificate().getSerialNumber());

    try (TlsClient open = TlsClient.connect(node.domainsPort(), "api.acme.test")) {
      assertThat(open.get("api.acme.test", "/v1/pets").status()).isEqualTo(200);

      CertificateAuthority.Issued second = CA.server("api.acme.test");
      long published = System.nanoTime();
      publish(record("api.acme.test", second));
      Await.until(
          Duration.ofSeconds(2),
          () -> second.certificate().getSerialNumber().equals(served("api.acme.test")),
          "the swapped certificate served within 2 s of its publication");
      System.out.println(
          "feed certificate swap served after "
              + (System.nanoTime() - published) / 1_000_000
              + " ms");
      TlsClient.Answer still = open.get("api.acme.test", "/v1/pets");
      assertThat(still.status()).isEqualTo(200);
      assertThat(still.body()).isEqualTo("{\"pets\":[]}");
    }

    producer.send(new ProducerRecord<>(Topics.DOMAINS, "api.acme.test", null)).get();
    Await.until(
        Duration.ofSeconds(10),
        () -> served("api.acme.test") == null,
        "the domain no longer served after its tombstone");
    assertThatThrownBy(() -> TlsClient.connect(node.domainsPort(), "api.acme.test").close())
        .isInstanceOf(IOException.class);
  }

  DomainRecord record(String name, CertificateAuthority.Issued certificate) {
    return new DomainRecord(
        1,
        name,
        TENANT,
        "acme",
        certificate.certificatePem(),
        secrets.seal(certificate.keyPem(), name),
        TlsSecurityPolicy.TLS_1_2,
        null,
        null,
        List.of(new BasePathMapping("v1", "api-pets", "pets", "prod")));
  }

  void publish(DomainRecord record) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                Topics.DOMAINS, record.domainName(), DomainRecord.CODEC.encode(record)))
        .get();
  }

  /** The serial of the certificate a new handshake naming {@code name} gets; null if refused. */
  BigInteger served(String name) {
    try (TlsClient client = TlsClient.connect(node.domainsPort(), name)) {
      return client.serverCertificate().getSerialNumber();
    } catch (Exception e) {
      return null;
    }
  }

  static DeploymentSnapshot deployment() {
    return NodeTopics.acmePetsProd(
        "dep-1", List.of(new RouteConfig("r-pets", "GET", "/pets", false, NodeTopics.noPets())));
  }
}
