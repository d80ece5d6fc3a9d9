package dev.turnpike.settings;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a service's Kafka clients authenticate to the brokers and protect the connection. Every
 * service reads it once with {@link SettingsReader#kafkaSecurity()} and starts every producer,
 * consumer and admin client from {@link #clientProperties()}; the clients add their own tuning
 * (batching, compression, timeouts) on top, never security.
 *
 * @param protocol Kafka's {@code security.protocol}
 * @param sasl how the client authenticates; null unless {@code protocol} is a SASL one
 * @param tls what the client trusts and presents; null unless {@code protocol} uses TLS
 */
public record KafkaSecurity(Protocol protocol, KafkaSasl sasl, KafkaTls tls) {
  public static final String SECURITY_PROTOCOL = "TURNPIKE_KAFKA_SECURITY_PROTOCOL";

  /** Every variable this record reads, for checks that a deployment sets only known ones. */
  public static final List<String> VARIABLES =
      List.of(
          SECURITY_PROTOCOL,
          KafkaSasl.MECHANISM,
          KafkaSasl.USERNAME,
          KafkaSasl.PASSWORD,
          KafkaSasl.TOKEN_ENDPOINT_URL,
          KafkaSasl.SCOPE,
          KafkaTls.TRUSTSTORE_LOCATION,
          KafkaTls.TRUSTSTORE_PASSWORD,
          KafkaTls.TRUSTSTORE_TYPE,
          KafkaTls.KEYSTORE_LOCATION,
          KafkaTls.KEYSTORE_PASSWORD,
          KafkaTls.KEYSTORE_TYPE,
          KafkaTls.KEY_PASSWORD);

  /** Kafka's security protocols: whether each authenticates with SASL and encrypts with TLS. */
  public enum Protocol {
    PLAINTEXT(false, false),
    SSL(false, true),
    SASL_PLAINTEXT(true, false),
    SASL_SSL(true, true);

    private final boolean sasl;
    private final boolean tls;

    Protocol(boolean sasl, boolean tls) {
      this.sasl = sasl;
      this.tls = tls;
    }

    public boolean sasl() {
      return sasl;
    }

    public boolean tls() {
      return tls;
    }
  }

  public KafkaSecurity {
    if (protocol == null) {
      throw new IllegalArgumentException("protocol is required");
    }
    if (protocol.sasl() != (sasl != null)) {
      throw new IllegalArgumentException(protocol + " takes SASL settings if and only if SASL");
    }
    if (!protocol.tls() && tls != null) {
      throw new IllegalArgumentException(protocol + " does not use TLS");
    }
    if (protocol.tls() && tls == null) {
      tls = KafkaTls.JVM_DEFAULTS;
    }
  }

  /** No authentication, no encryption: a broker on a trusted network, or a local one. */
  public static KafkaSecurity plaintext() {
    return new KafkaSecurity(Protocol.PLAINTEXT, null, null);
  }

  /**
   * The client properties for this security: {@code security.protocol}, and the SASL and TLS
   * properties it needs. They hold secrets (Kafka masks them in its own config logs); never log the
   * map.
   */
  public Map<String, String> clientProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("security.protocol", protocol.name());
    if (sasl != null) {
      properties.putAll(sasl.clientProperties());
    }
    if (tls != null) {
      properties.putAll(tls.clientProperties());
    }
    return properties;
  }

  @Override
  public String toString() {
    return "KafkaSecurity[" + protocol + (sasl == null ? "" : ", " + sasl) + "]";
  }

  /**
   * Reads the {@code TURNPIKE_KAFKA_*} security variables; defaults in brackets.
   *
   * <ul>
   *   <li>{@code TURNPIKE_KAFKA_SECURITY_PROTOCOL} [PLAINTEXT]: PLAINTEXT, SSL, SASL_PLAINTEXT or
   *       SASL_SSL
   *   <li>with SASL, {@link KafkaSasl#read}: the mechanism and the credentials
   *   <li>with TLS, {@link KafkaTls#read}: the trust store and, for mutual TLS, the key store
   * </ul>
   *
   * Variables of a part the protocol does not use are a problem, so a deployment never believes it
   * authenticates while it does not.
   */
  static KafkaSecurity read(SettingsReader read) {
    String name = read.string(SECURITY_PROTOCOL, Protocol.PLAINTEXT.name());
    Protocol protocol =
        Arrays.stream(Protocol.values())
            .filter(p -> p.name().equalsIgnoreCase(name))
            .findFirst()
            .orElse(null);
    if (protocol == null) {
      read.problem(
          SECURITY_PROTOCOL
              + " must be one of "
              + Arrays.toString(Protocol.values())
              + ", was '"
              + name
              + "'");
      return plaintext();
    }
    KafkaSasl sasl = null;
    if (protocol.sasl()) {
      sasl = KafkaSasl.read(read, protocol);
    } else {
      refuseUnused(read, protocol, KafkaSasl.VARIABLES);
    }
    KafkaTls tls = null;
    if (protocol.tls()) {
      tls = KafkaTls.read(read);
    } else {
      refuseUnused(read, protocol, KafkaTls.VARIABLES);
    }
    return new KafkaSecurity(protocol, sasl, tls);
  }

  private static void refuseUnused(SettingsReader read, Protocol protocol, List<String> keys) {
    for (String key : keys) {
      if (read.optional(key) != null) {
        read.problem(
            key
                + " is set but "
                + SECURITY_PROTOCOL
                + " is "
                + protocol
                + ", which does not use it");
      }
    }
  }

  /** Loopback token endpoints may be plain http; anything else must be https. */
  static boolean loopback(String url) {
    try {
      String host = URI.create(url).getHost();
      return host != null
          && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    } catch (IllegalArgumentException e) {
      return false; // not a URL: reported as such
    }
  }
}
