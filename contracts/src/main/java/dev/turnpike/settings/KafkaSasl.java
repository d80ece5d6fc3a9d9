package dev.turnpike.settings;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a Kafka client authenticates over SASL.
 *
 * @param username the Kafka user (SCRAM, PLAIN), or the OAuth client id (OAUTHBEARER)
 * @param password its password, or the OAuth client secret; never printed
 * @param tokenEndpointUrl where an OAUTHBEARER client gets its tokens (client credentials grant);
 *     null for the other mechanisms
 * @param scope the OAuth scope asked for, or null
 */
public record KafkaSasl(
    Mechanism mechanism, String username, String password, String tokenEndpointUrl, String scope) {
  public static final String MECHANISM = "TURNPIKE_KAFKA_SASL_MECHANISM";
  public static final String USERNAME = "TURNPIKE_KAFKA_SASL_USERNAME";
  public static final String PASSWORD = "TURNPIKE_KAFKA_SASL_PASSWORD";
  public static final String TOKEN_ENDPOINT_URL =
      "TURNPIKE_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL";
  public static final String SCOPE = "TURNPIKE_KAFKA_SASL_OAUTHBEARER_SCOPE";

  static final List<String> VARIABLES =
      List.of(MECHANISM, USERNAME, PASSWORD, TOKEN_ENDPOINT_URL, SCOPE);

  /**
   * The JVM-wide list of token endpoints Kafka's OAUTHBEARER login may call (Kafka 4 refuses any
   * other). The endpoint comes from the operator's own settings, so it is added to the list.
   */
  static final String ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

  /** The SASL mechanisms a Turnpike service can use, by their Kafka names. */
  public enum Mechanism {
    SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
    SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule"),
    PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
    OAUTHBEARER(
        "OAUTHBEARER", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule");

    private final String kafkaName;
    private final String loginModule;

    Mechanism(String kafkaName, String loginModule) {
      this.kafkaName = kafkaName;
      this.loginModule = loginModule;
    }

    public String kafkaName() {
      return kafkaName;
    }

    static Mechanism named(String name) {
      return Arrays.stream(values())
          .filter(m -> m.kafkaName.equalsIgnoreCase(name))
          .findFirst()
          .orElse(null);
    }
  }

  public KafkaSasl {
    if (mechanism == null || username == null || password == null) {
      throw new IllegalArgumentException("mechanism, username and password are required");
    }
    if ((mechanism == Mechanism.OAUTHBEARER) != (tokenEndpointUrl != null)) {
      throw new IllegalArgumentException("a token endpoint goes with OAUTHBEARER, and only there");
    }
  }

  Map<String, String> clientProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("sasl.mechanism", mechanism.kafkaName);
    if (mechanism != Mechanism.OAUTHBEARER) {
      properties.put(
          "sasl.jaas.config",
          mechanism.loginModule
              + " required username=\""
              + jaasQuoted(username)
              + "\" password=\""
              + jaasQuoted(password)
              + "\";");
      return properties;
    }
    allowTokenEndpoint(tokenEndpointUrl);
    properties.put("sasl.jaas.config", mechanism.loginModule + " required;");
    properties.put(
        "sasl.login.callback.handler.class",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
    properties.put("sasl.oauthbearer.token.endpoint.url", tokenEndpointUrl);
    properties.put("sasl.oauthbearer.client.credentials.client.id", username);
    properties.put("sasl.oauthbearer.client.credentials.client.secret", password);
    if (scope != null) {
      properties.put("sasl.oauthbearer.scope", scope);
    }
    return properties;
  }

  @Override
  public String toString() {
    return mechanism.kafkaName + " as " + username;
  }

  /**
   * Reads the SASL variables for a SASL protocol: {@code TURNPIKE_KAFKA_SASL_MECHANISM}
   * [SCRAM-SHA-512] (SCRAM-SHA-256, SCRAM-SHA-512, PLAIN over SASL_SSL only, or OAUTHBEARER),
   * {@code TURNPIKE_KAFKA_SASL_USERNAME} and {@code TURNPIKE_KAFKA_SASL_PASSWORD} (required: the
   * user, or the OAuth client id and secret), and for OAUTHBEARER {@code
   * TURNPIKE_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL} (required, https but on loopback) and
   * {@code TURNPIKE_KAFKA_SASL_OAUTHBEARER_SCOPE} [none].
   */
  static KafkaSasl read(SettingsReader read, KafkaSecurity.Protocol protocol) {
    String name = read.string(MECHANISM, Mechanism.SCRAM_SHA_512.kafkaName);
    Mechanism mechanism = Mechanism.named(name);
    if (mechanism == null) {
      read.problem(
          MECHANISM
              + " must be one of "
              + Arrays.stream(Mechanism.values()).map(Mechanism::kafkaName).toList()
              + ", was '"
              + name
              + "'");
      mechanism = Mechanism.SCRAM_SHA_512;
    }
    if (mechanism == Mechanism.PLAIN && protocol != KafkaSecurity.Protocol.SASL_SSL) {
      read.problem(
          MECHANISM
              + " PLAIN sends the password as it is: use it only with "
              + KafkaSecurity.SECURITY_PROTOCOL
              + "=SASL_SSL");
    }
    boolean oauth = mechanism == Mechanism.OAUTHBEARER;
    String username =
        read.required(USERNAME, oauth ? "the OAuth client id" : "the service's Kafka user");
    String password = read.secret(PASSWORD, true);
    refuseControlCharacters(read, USERNAME, username);
    refuseControlCharacters(read, PASSWORD, password);
    String endpoint = null;
    String scope = null;
    if (oauth) {
      endpoint = read.url(TOKEN_ENDPOINT_URL, null, true);
      if (endpoint != null && endpoint.startsWith("http:") && !KafkaSecurity.loopback(endpoint)) {
        read.problem(TOKEN_ENDPOINT_URL + " must be https: the client secret is sent to it");
      }
      scope = read.optional(SCOPE);
    } else {
      for (String key : List.of(TOKEN_ENDPOINT_URL, SCOPE)) {
        if (read.optional(key) != null) {
          read.problem(key + " is set but " + MECHANISM + " is " + mechanism.kafkaName);
        }
      }
    }
    if (username == null || password == null || (oauth && endpoint == null)) {
      // Already reported; a stand-in keeps the record whole until failOnProblems throws.
      return new KafkaSasl(mechanism, "", "", oauth ? "https://invalid" : null, null);
    }
    return new KafkaSasl(mechanism, username, password, endpoint, scope);
  }

  /** JAAS values are quoted strings in which a backslash escapes the next character. */
  private static String jaasQuoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** A line break would end the JAAS string early; the value itself is never shown. */
  private static void refuseControlCharacters(SettingsReader read, String key, String value) {
    if (value != null && value.chars().anyMatch(Character::isISOControl)) {
      read.problem(key + " must not contain control characters (line breaks, tabs)");
    }
  }

  private static synchronized void allowTokenEndpoint(String url) {
    Set<String> allowed = new LinkedHashSet<>();
    for (String entry : System.getProperty(ALLOWED_URLS_PROPERTY, "").split(",")) {
      if (!entry.isBlank()) {
        allowed.add(entry.strip());
      }
    }
    if (allowed.add(url)) {
      System.setProperty(ALLOWED_URLS_PROPERTY, String.join(",", allowed));
    }
  }
}
