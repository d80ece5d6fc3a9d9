package dev.turnpike.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {
  static KafkaSecurity read(Map<String, String> env) {
    SettingsReader read = new SettingsReader(env);
    KafkaSecurity security = read.kafkaSecurity();
    read.failOnProblems("test");
    return security;
  }

  /** Every Kafka client kind parses the properties as it would at start. */
  static void parsesForEveryClient(Map<String, String> properties) {
    Map<String, Object> withServers = new HashMap<>(properties);
    withServers.put("bootstrap.servers", "kafka:9092");
    for (String serde :
        List.of("key.serializer", "value.serializer", "key.deserializer", "value.deserializer")) {
      withServers.put(serde, "org.apache.kafka.common.serialization.StringSerializer");
    }
    for (ConfigDef def :
        List.of(
            ProducerConfig.configDef(),
            ConsumerConfig.configDef(),
            AdminClientConfig.configDef())) {
      def.parse(withServers);
    }
  }

  @Nested
  class Plaintext {
    @Test
    void is_the_default_and_sets_only_the_protocol() {
      KafkaSecurity security = read(Map.of());

      assertThat(security).isEqualTo(KafkaSecurity.plaintext());
      assertThat(security.clientProperties())
          .containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
    }

    @Test
    void refuses_sasl_or_tls_settings_it_would_ignore() {
      assertThatThrownBy(
              () ->
                  read(
                      Map.of(
                          "TURNPIKE_KAFKA_SASL_USERNAME", "gateway",
                          "TURNPIKE_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/ca.pem")))
          .hasMessageContaining(
              "TURNPIKE_KAFKA_SASL_USERNAME is set but TURNPIKE_KAFKA_SECURITY_PROTOCOL is"
                  + " PLAINTEXT, which does not use it")
          .hasMessageContaining("TURNPIKE_KAFKA_SSL_TRUSTSTORE_LOCATION is set but");
    }

    @Test
    void refuses_an_unknown_protocol_naming_the_key() {
      assertThatThrownBy(() -> read(Map.of("TURNPIKE_KAFKA_SECURITY_PROTOCOL", "TLS")))
          .hasMessageContaining(
              "TURNPIKE_KAFKA_SECURITY_PROTOCOL must be one of [PLAINTEXT, SSL, SASL_PLAINTEXT,"
                  + " SASL_SSL], was 'TLS'");
    }
  }

  @Nested
  class Scram {
    @Test
    void builds_the_jaas_login_that_gives_back_the_exact_credentials() {
      String password = "p\"a\\ss word$";
      KafkaSecurity security =
          read(
              Map.of(
                  "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
                  "TURNPIKE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                  "TURNPIKE_KAFKA_SASL_USERNAME", "turnpike-gateway",
                  "TURNPIKE_KAFKA_SASL_PASSWORD", password));
      Map<String, String> properties = security.clientProperties();

      assertThat(properties)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-256");
      AppConfigurationEntry login = jaasLogin(properties);
      assertThat(login.getLoginModuleName())
          .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
      assertThat(login.getOptions().get("username")).isEqualTo("turnpike-gateway");
      assertThat(login.getOptions().get("password")).isEqualTo(password);
      parsesForEveryClient(properties);
    }

    @Test
    void defaults_to_scram_sha_512_and_requires_the_credentials() {
      assertThatThrownBy(() -> read(Map.of("TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")))
          .hasMessageContaining("TURNPIKE_KAFKA_SASL_USERNAME is required")
          .hasMessageContaining("TURNPIKE_KAFKA_SASL_PASSWORD is required");

      KafkaSecurity security =
          read(
              Map.of(
                  "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                  "TURNPIKE_KAFKA_SASL_USERNAME", "metering",
                  "TURNPIKE_KAFKA_SASL_PASSWORD", "a-long-random-password"));
      assertThat(security.clientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void never_shows_the_password_in_a_problem_or_in_its_text() {
      String password = "line\nbreak-secret-value";
      Map<String, String> env =
          Map.of(
              "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
              "TURNPIKE_KAFKA_SASL_USERNAME", "gateway",
              "TURNPIKE_KAFKA_SASL_PASSWORD", password);

      assertThatThrownBy(() -> read(env))
          .hasMessageContaining("TURNPIKE_KAFKA_SASL_PASSWORD must not contain control characters")
          .hasMessageNotContaining("secret-value");
      KafkaSecurity good =
          read(
              Map.of(
                  "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                  "TURNPIKE_KAFKA_SASL_USERNAME", "gateway",
                  "TURNPIKE_KAFKA_SASL_PASSWORD", "secret-value-1234"));
      assertThat(good.toString()).contains("gateway").doesNotContain("secret-value");
    }

    @Test
    void refuses_a_published_placeholder_as_password() {
      assertThatThrownBy(
              () ->
                  read(
                      Map.of(
                          "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                          "TURNPIKE_KAFKA_SASL_USERNAME", "gateway",
                          "TURNPIKE_KAFKA_SASL_PASSWORD", "change-me")))
          .hasMessageContaining("TURNPIKE_KAFKA_SASL_PASSWORD holds a placeholder");
    }
  }

  @Nested
  class Plain {
    @Test
    void is_refused_without_tls_because_it_sends_the_password_as_it_is() {
      assertThatThrownBy(
              () ->
                  read(
                      Map.of(
                          "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                          "TURNPIKE_KAFKA_SASL_MECHANISM", "PLAIN",
                          "TURNPIKE_KAFKA_SASL_USERNAME", "gateway",
                          "TURNPIKE_KAFKA_SASL_PASSWORD", "pw-0123456789")))
          .hasMessageContaining("TURNPIKE_KAFKA_SASL_MECHANISM PLAIN sends the password");
    }

    @Test
    void over_sasl_ssl_uses_the_plain_login_module() {
      Map<String, String> properties =
          read(Map.of(
                  "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                  "TURNPIKE_KAFKA_SASL_MECHANISM", "plain",
                  "TURNPIKE_KAFKA_SASL_USERNAME", "gateway",
                  "TURNPIKE_KAFKA_SASL_PASSWORD", "pw-0123456789"))
              .clientProperties();

      assertThat(jaasLogin(properties).getLoginModuleName())
          .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule");
      parsesForEveryClient(properties);
    }
  }

  @Nested
  class OAuthBearer {
    @Test
    void gets_tokens_with_client_credentials_from_the_endpoint_it_allows() {
      String endpoint = "https://id.example.com/realms/kafka/protocol/openid-connect/token";
      Map<String, String> properties =
          read(Map.of(
                  "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                  "TURNPIKE_KAFKA_SASL_MECHANISM", "OAUTHBEARER",
                  "TURNPIKE_KAFKA_SASL_USERNAME", "turnpike-metering",
                  "TURNPIKE_KAFKA_SASL_PASSWORD", "client-secret-0123",
                  "TURNPIKE_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", endpoint,
                  "TURNPIKE_KAFKA_SASL_OAUTHBEARER_SCOPE", "kafka"))
              .clientProperties();

      assertThat(properties)
          .containsEntry("sasl.mechanism", "OAUTHBEARER")
          .containsEntry(SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, endpoint)
          .containsEntry(
              SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_ID, "turnpike-metering")
          .containsEntry(
              SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET, "client-secret-0123")
          .containsEntry(SaslConfigs.SASL_OAUTHBEARER_SCOPE, "kafka")
          .containsEntry(
              SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS,
              "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
      assertThat(jaasLogin(properties).getLoginModuleName())
          .isEqualTo("org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule");
      // Kafka 4 calls no token endpoint that is not on this JVM-wide list.
      assertThat(System.getProperty("org.apache.kafka.sasl.oauthbearer.allowed.urls").split(","))
          .contains(endpoint);
      parsesForEveryClient(properties);
    }

    @Test
    void requires_an_https_token_endpoint_off_loopback() {
      Map<String, String> env = new HashMap<>();
      env.put("TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
      env.put("TURNPIKE_KAFKA_SASL_MECHANISM", "OAUTHBEARER");
      env.put("TURNPIKE_KAFKA_SASL_USERNAME", "turnpike-metering");
      env.put("TURNPIKE_KAFKA_SASL_PASSWORD", "client-secret-0123");
      assertThatThrownBy(() -> read(env))
          .hasMessageContaining("TURNPIKE_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL is required");

      env.put("TURNPIKE_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "http://id.example.com/token");
      assertThatThrownBy(() -> read(env))
          .hasMessageContaining("TURNPIKE_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL must be https");

      env.put("TURNPIKE_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "http://127.0.0.1:8180/token");
      assertThat(read(env).sasl().tokenEndpointUrl()).isEqualTo("http://127.0.0.1:8180/token");
    }

    @Test
    void its_settings_are_refused_with_another_mechanism() {
      assertThatThrownBy(
              () ->
                  read(
                      Map.of(
                          "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                          "TURNPIKE_KAFKA_SASL_USERNAME", "gateway",
                          "TURNPIKE_KAFKA_SASL_PASSWORD", "pw-0123456789",
                          "TURNPIKE_KAFKA_SASL_OAUTHBEARER_SCOPE", "kafka")))
          .hasMessageContaining(
              "TURNPIKE_KAFKA_SASL_OAUTHBEARER_SCOPE is set but TURNPIKE_KAFKA_SASL_MECHANISM is"
                  + " SCRAM-SHA-512");
    }
  }

  @Nested
  class Tls {
    @TempDir Path dir;

    @Test
    void trusts_the_jvm_cas_when_no_trust_store_is_given() {
      KafkaSecurity security = read(Map.of("TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SSL"));

      assertThat(security.clientProperties())
          .containsExactly(Map.entry("security.protocol", "SSL"));
    }

    @Test
    void passes_trust_and_key_stores_with_their_types() throws IOException {
      Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
      Path client = Files.writeString(dir.resolve("client.p12"), "p12");
      Map<String, String> properties =
          read(Map.of(
                  "TURNPIKE_KAFKA_SECURITY_PROTOCOL",
                  "SSL",
                  "TURNPIKE_KAFKA_SSL_TRUSTSTORE_LOCATION",
                  ca.toString(),
                  "TURNPIKE_KAFKA_SSL_KEYSTORE_LOCATION",
                  client.toString(),
                  "TURNPIKE_KAFKA_SSL_KEYSTORE_PASSWORD",
                  "keystore-pw-0123"))
              .clientProperties();

      assertThat(properties)
          .containsEntry("ssl.truststore.location", ca.toString())
          .containsEntry("ssl.truststore.type", "PEM")
          .doesNotContainKey("ssl.truststore.password")
          .containsEntry("ssl.keystore.location", client.toString())
          .containsEntry("ssl.keystore.type", "PKCS12")
          .containsEntry("ssl.keystore.password", "keystore-pw-0123");
      parsesForEveryClient(properties);
    }

    @Test
    void refuses_missing_files_and_incomplete_stores_naming_each_key() throws IOException {
      Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
      Path jks = Files.writeString(dir.resolve("client.jks"), "jks");
      Map<String, String> env = new HashMap<>();
      env.put("TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
      env.put("TURNPIKE_KAFKA_SASL_USERNAME", "gateway");
      env.put("TURNPIKE_KAFKA_SASL_PASSWORD", "pw-0123456789");
      env.put("TURNPIKE_KAFKA_SSL_TRUSTSTORE_LOCATION", ca.toString());
      env.put("TURNPIKE_KAFKA_SSL_TRUSTSTORE_PASSWORD", "truststore-pw");
      env.put("TURNPIKE_KAFKA_SSL_KEYSTORE_LOCATION", jks.toString());
      env.put("TURNPIKE_KAFKA_SSL_KEYSTORE_TYPE", "p11");

      assertThatThrownBy(() -> read(env))
          .hasMessageContaining(
              "TURNPIKE_KAFKA_SSL_TRUSTSTORE_PASSWORD must not be set for a PEM trust store")
          .hasMessageContaining(
              "TURNPIKE_KAFKA_SSL_KEYSTORE_TYPE must be one of [JKS, PKCS12, PEM], was 'p11'")
          .hasMessageContaining("TURNPIKE_KAFKA_SSL_KEYSTORE_PASSWORD is required for a JKS")
          .hasMessageNotContaining("truststore-pw");

      Map<String, String> missing =
          Map.of(
              "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SSL",
              "TURNPIKE_KAFKA_SSL_TRUSTSTORE_LOCATION", dir.resolve("absent.jks").toString(),
              "TURNPIKE_KAFKA_SSL_KEY_PASSWORD", "key-pw-0123");
      assertThatThrownBy(() -> read(missing))
          .hasMessageContaining("TURNPIKE_KAFKA_SSL_TRUSTSTORE_LOCATION must name a readable file")
          .hasMessageContaining(
              "TURNPIKE_KAFKA_SSL_KEY_PASSWORD is set but TURNPIKE_KAFKA_SSL_KEYSTORE_LOCATION is"
                  + " not");
    }
  }

  private static AppConfigurationEntry jaasLogin(Map<String, String> properties) {
    JaasContext context =
        JaasContext.loadClientContext(
            Map.of(SaslConfigs.SASL_JAAS_CONFIG, new Password(properties.get("sasl.jaas.config"))));
    assertThat(context.configurationEntries()).hasSize(1);
    return context.configurationEntries().get(0);
  }
}
