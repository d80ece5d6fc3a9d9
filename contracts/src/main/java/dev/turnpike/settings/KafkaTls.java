package dev.turnpike.settings;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a Kafka client trusts, and what it presents for mutual TLS. Host names are always verified
 * (Kafka's default, {@code ssl.endpoint.identification.algorithm=https}); there is no setting to
 * turn that off.
 *
 * @param truststoreLocation the brokers' CA certificates; null trusts the JVM's default CAs
 * @param truststorePassword null for none (and always for PEM); never printed
 * @param keystoreLocation the client's certificate and key for mutual TLS, or null
 * @param keystorePassword required for a JKS or PKCS12 key store; never printed
 * @param keyPassword the private key's own password, or null; never printed
 */
public record KafkaTls(
    String truststoreLocation,
    String truststoreType,
    String truststorePassword,
    String keystoreLocation,
    String keystoreType,
    String keystorePassword,
    String keyPassword) {
  public static final String TRUSTSTORE_LOCATION = "TURNPIKE_KAFKA_SSL_TRUSTSTORE_LOCATION";
  public static final String TRUSTSTORE_TYPE = "TURNPIKE_KAFKA_SSL_TRUSTSTORE_TYPE";
  public static final String TRUSTSTORE_PASSWORD = "TURNPIKE_KAFKA_SSL_TRUSTSTORE_PASSWORD";
  public static final String KEYSTORE_LOCATION = "TURNPIKE_KAFKA_SSL_KEYSTORE_LOCATION";
  public static final String KEYSTORE_TYPE = "TURNPIKE_KAFKA_SSL_KEYSTORE_TYPE";
  public static final String KEYSTORE_PASSWORD = "TURNPIKE_KAFKA_SSL_KEYSTORE_PASSWORD";
  public static final String KEY_PASSWORD = "TURNPIKE_KAFKA_SSL_KEY_PASSWORD";

  static final List<String> VARIABLES =
      List.of(
          TRUSTSTORE_LOCATION,
          TRUSTSTORE_TYPE,
          TRUSTSTORE_PASSWORD,
          KEYSTORE_LOCATION,
          KEYSTORE_TYPE,
          KEYSTORE_PASSWORD,
          KEY_PASSWORD);

  static final List<String> STORE_TYPES = List.of("JKS", "PKCS12", "PEM");

  /** TLS with the JVM's default trusted CAs and no client certificate. */
  static final KafkaTls JVM_DEFAULTS = new KafkaTls(null, null, null, null, null, null, null);

  Map<String, String> clientProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    if (truststoreLocation != null) {
      properties.put("ssl.truststore.location", truststoreLocation);
      properties.put("ssl.truststore.type", truststoreType);
      putIfSet(properties, "ssl.truststore.password", truststorePassword);
    }
    if (keystoreLocation != null) {
      properties.put("ssl.keystore.location", keystoreLocation);
      properties.put("ssl.keystore.type", keystoreType);
      putIfSet(properties, "ssl.keystore.password", keystorePassword);
      putIfSet(properties, "ssl.key.password", keyPassword);
    }
    return properties;
  }

  @Override
  public String toString() {
    return "KafkaTls[truststore=" + truststoreLocation + ", keystore=" + keystoreLocation + "]";
  }

  /**
   * Reads the TLS variables: {@code TURNPIKE_KAFKA_SSL_TRUSTSTORE_LOCATION} [the JVM's CAs], {@code
   * _TRUSTSTORE_TYPE} [from the file name: PEM for .pem/.crt, PKCS12 for .p12/.pfx, else JKS],
   * {@code _TRUSTSTORE_PASSWORD} [none]; for mutual TLS {@code
   * TURNPIKE_KAFKA_SSL_KEYSTORE_LOCATION}, {@code _KEYSTORE_TYPE} (likewise), {@code
   * _KEYSTORE_PASSWORD} (required but for PEM) and {@code TURNPIKE_KAFKA_SSL_KEY_PASSWORD}. Each
   * file must be readable at start.
   */
  static KafkaTls read(SettingsReader read) {
    String trustLocation = readableFile(read, TRUSTSTORE_LOCATION);
    String trustType = storeType(read, TRUSTSTORE_TYPE, trustLocation);
    String trustPassword = read.secret(TRUSTSTORE_PASSWORD, false);
    String keyLocation = readableFile(read, KEYSTORE_LOCATION);
    String keyType = storeType(read, KEYSTORE_TYPE, keyLocation);
    String keystorePassword = read.secret(KEYSTORE_PASSWORD, false);
    String keyPassword = read.secret(KEY_PASSWORD, false);

    requireLocation(read, TRUSTSTORE_LOCATION, trustLocation, TRUSTSTORE_TYPE, TRUSTSTORE_PASSWORD);
    requireLocation(
        read, KEYSTORE_LOCATION, keyLocation, KEYSTORE_TYPE, KEYSTORE_PASSWORD, KEY_PASSWORD);
    if ("PEM".equals(trustType) && trustPassword != null) {
      read.problem(TRUSTSTORE_PASSWORD + " must not be set for a PEM trust store");
    }
    if (keyLocation != null && !"PEM".equals(keyType) && keystorePassword == null) {
      read.problem(KEYSTORE_PASSWORD + " is required for a " + keyType + " key store");
    }
    return new KafkaTls(
        trustLocation,
        trustType,
        trustPassword,
        keyLocation,
        keyType,
        keystorePassword,
        keyPassword);
  }

  private static String readableFile(SettingsReader read, String key) {
    String location = read.optional(key);
    if (location == null) {
      return null;
    }
    try {
      if (!Files.isReadable(Path.of(location)) || Files.isDirectory(Path.of(location))) {
        read.problem(key + " must name a readable file, was '" + location + "'");
      }
    } catch (InvalidPathException e) {
      read.problem(key + " must name a readable file, was '" + location + "'");
    }
    return location;
  }

  /** The type given, or the one the file name suggests; null without a file. */
  private static String storeType(SettingsReader read, String key, String location) {
    String given = read.optional(key);
    if (given != null) {
      String type = given.toUpperCase(Locale.ROOT);
      if (!STORE_TYPES.contains(type)) {
        read.problem(key + " must be one of " + STORE_TYPES + ", was '" + given + "'");
        return "JKS";
      }
      return type;
    }
    if (location == null) {
      return null;
    }
    String file = location.toLowerCase(Locale.ROOT);
    if (file.endsWith(".pem") || file.endsWith(".crt")) {
      return "PEM";
    }
    return file.endsWith(".p12") || file.endsWith(".pfx") ? "PKCS12" : "JKS";
  }

  /** The companions of a store are meaningless without its file: say so rather than ignore them. */
  private static void requireLocation(
      SettingsReader read, String locationKey, String location, String... companions) {
    if (location != null) {
      return;
    }
    for (String companion : companions) {
      if (read.optional(companion) != null) {
        read.problem(companion + " is set but " + locationKey + " is not");
      }
    }
  }

  private static void putIfSet(Map<String, String> properties, String key, String value) {
    if (value != null) {
      properties.put(key, value);
    }
  }
}
