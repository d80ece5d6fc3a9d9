package dev.turnpike.testkit.kafka;

import dev.turnpike.settings.KafkaSasl;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.testkit.Await;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.metadata.UserScramCredentialRecord;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.ApiMessageAndVersion;

/**
 * A real single-node KRaft Kafka that authenticates every client with SASL/SCRAM-SHA-512 and
 * authorizes every request with Kafka's {@code StandardAuthorizer}: nobody may do anything an ACL
 * does not allow ({@code allow.everyone.if.no.acl.found=false}). Users and ACLs are made with
 * {@link #addUser} and {@link #createAcls}, as an operator would with {@code kafka-configs.sh} and
 * {@code kafka-acls.sh}.
 *
 * <p>The client listener is SASL_PLAINTEXT: what is under test is who may do what, not the
 * encryption (SASL_SSL adds TLS to the same handshake). The broker talks to itself over that
 * listener as the super user {@code admin}; the controller's own listener stays plaintext on
 * loopback, where its only client is the broker, and its anonymous principal is a super user so
 * that the broker may register.
 */
public final class SecuredKafkaBroker implements AutoCloseable {
  public static final KafkaSasl.Mechanism MECHANISM = KafkaSasl.Mechanism.SCRAM_SHA_512;
  public static final String ADMIN = "admin";

  private static final Duration READY = Duration.ofSeconds(30);

  private final KafkaClusterTestKit cluster;
  private final String adminPassword;
  private final Admin admin;

  private SecuredKafkaBroker(KafkaClusterTestKit cluster, String adminPassword) {
    this.cluster = cluster;
    this.adminPassword = adminPassword;
    this.admin = Admin.create(adminProperties(security(ADMIN, adminPassword)));
  }

  /** Starts the broker with the super user's credential; returns once it answers as admin. */
  public static SecuredKafkaBroker start() {
    String adminPassword = "admin-" + UUID.randomUUID();
    KafkaClusterTestKit cluster = startCluster(adminPassword);
    try {
      SecuredKafkaBroker broker = new SecuredKafkaBroker(cluster, adminPassword);
      broker.awaitLogin(ADMIN);
      return broker;
    } catch (RuntimeException e) {
      closeQuietly(cluster);
      throw e;
    }
  }

  private static KafkaClusterTestKit startCluster(String adminPassword) {
    try {
      // The super user's credential is in the cluster's first metadata, as `kafka-storage.sh
      // format --add-scram` puts it: the controllers cannot take SCRAM changes directly, and the
      // broker takes none before someone logs in.
      BootstrapMetadata defaults = new TestKitNodes.Builder().build().bootstrapMetadata();
      List<ApiMessageAndVersion> records = new ArrayList<>(defaults.records());
      records.add(new ApiMessageAndVersion(scramRecord(ADMIN, adminPassword), (short) 0));
      TestKitNodes nodes =
          new TestKitNodes.Builder(BootstrapMetadata.fromRecords(records, "secured-testkit"))
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .build();
      String listener = nodes.brokerListenerName().value();
      String controller = nodes.controllerListenerName().value();
      String mechanism = MECHANISM.kafkaName();
      KafkaClusterTestKit cluster =
          new KafkaClusterTestKit.Builder(nodes)
              .setConfigProp(
                  "listener.security.protocol.map",
                  listener + ":SASL_PLAINTEXT," + controller + ":PLAINTEXT")
              .setConfigProp("sasl.enabled.mechanisms", mechanism)
              .setConfigProp("sasl.mechanism.inter.broker.protocol", mechanism)
              .setConfigProp(
                  "listener.name."
                      + listener.toLowerCase(Locale.ROOT)
                      + "."
                      + mechanism.toLowerCase(Locale.ROOT)
                      + ".sasl.jaas.config",
                  security(ADMIN, adminPassword).clientProperties().get("sasl.jaas.config"))
              .setConfigProp(
                  "authorizer.class.name",
                  "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
              .setConfigProp("allow.everyone.if.no.acl.found", "false")
              .setConfigProp("super.users", "User:" + ADMIN + ";User:ANONYMOUS")
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return cluster;
    } catch (Exception e) {
      throw new IllegalStateException("in-process secured Kafka did not start", e);
    }
  }

  private static UserScramCredentialRecord scramRecord(String user, String password)
      throws NoSuchAlgorithmException {
    ScramCredential credential =
        new ScramFormatter(
                org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512)
            .generateCredential(password, 8192);
    return new UserScramCredentialRecord()
        .setName(user)
        .setMechanism(ScramMechanism.SCRAM_SHA_512.type())
        .setSalt(credential.salt())
        .setStoredKey(credential.storedKey())
        .setServerKey(credential.serverKey())
        .setIterations(credential.iterations());
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** What a client logging in as {@code user} sets, as a service reads it from its settings. */
  public static KafkaSecurity security(String user, String password) {
    return new KafkaSecurity(
        KafkaSecurity.Protocol.SASL_PLAINTEXT,
        new KafkaSasl(MECHANISM, user, password, null, null),
        null);
  }

  /** The super user's security, for set-up and for reading what a test wrote. */
  public KafkaSecurity adminSecurity() {
    return security(ADMIN, adminPassword);
  }

  /** Admin client properties for {@code security} on this broker. */
  public Map<String, Object> adminProperties(KafkaSecurity security) {
    Map<String, Object> props = new HashMap<>(security.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  /** Gives {@code user} a SCRAM credential and returns once the broker accepts its login. */
  public void addUser(String user, String password) {
    upsertScram(admin, user, password);
    awaitLogin(user);
  }

  /** Creates the ACLs and returns once the broker enforces all of them. */
  public void createAcls(Collection<AclBinding> acls) {
    try {
      admin.createAcls(acls).all().get();
      Await.until(
          READY,
          () -> brokerAcls().containsAll(acls),
          () -> "the broker to enforce " + acls + "; it has " + brokerAcls());
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create ACLs " + acls, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates a topic as the super user; compacted topics are how config and quota state live. */
  public void createTopic(String name, int partitions, boolean compacted) {
    Map<String, String> configs =
        compacted
            ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            : Map.of();
    try {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
          .all()
          .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topic " + name, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void upsertScram(Admin admin, String user, String password) {
    try {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot give " + user + " a SCRAM credential", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A credential reaches the broker through the metadata log a moment after the controller took it;
   * until then a login fails. Polls the broker's own view of the user's credentials.
   */
  private void awaitLogin(String user) {
    Await.until(READY, () -> knowsCredentialOf(user), "the broker to take " + user + "'s login");
  }

  private boolean knowsCredentialOf(String user) {
    try {
      return !admin.describeUserScramCredentials(List.of(user)).all().get().isEmpty();
    } catch (ExecutionException e) {
      return false; // not there yet: the broker refuses the login, or knows no such user
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The ACLs the broker itself holds (it learns them from the controller). */
  private Collection<AclBinding> brokerAcls() {
    try {
      return admin.describeAcls(AclBindingFilter.ANY).values().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list the broker's ACLs", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    closeQuietly(cluster);
  }

  private static void closeQuietly(KafkaClusterTestKit cluster) {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("in-process Kafka did not stop cleanly", e);
    }
  }
}
