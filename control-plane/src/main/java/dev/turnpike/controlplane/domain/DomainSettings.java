package dev.turnpike.controlplane.domain;

import dev.turnpike.contracts.domain.DomainRules;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.settings.SettingsReader;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The operator's settings for custom domains.
 *
 * @param secrets seals uploaded private keys under {@code TURNPIKE_SECRET_KEY}, the key every
 *     gateway node opens them with; null when the operator has set none, and then certificates
 *     cannot be uploaded
 * @param dnsServers the resolvers ownership is checked against ({@code host} or {@code host:port});
 *     empty for the machine's own
 * @param dnsTimeout how long one lookup (DNS, or the HTTP token's fetch) may take
 * @param verification how tenants prove control: {@code dns} (a TXT record) or {@code http} (a
 *     token served at the name, fetched through the egress policy)
 * @param httpPort the port the HTTP token is fetched from (80; another only for tests)
 * @param gatewayDomain the gateway's own domain ({@code TURNPIKE_GATEWAY_DOMAIN}, the gateways'
 *     setting too): no custom domain may be it, under it, or a wildcard covering it
 */
public record DomainSettings(
    SealedSecrets secrets,
    List<String> dnsServers,
    Duration dnsTimeout,
    String verification,
    int httpPort,
    String gatewayDomain) {
  public static final String DNS = "dns";
  public static final String HTTP = "http";

  public static final String SECRET_KEY = "TURNPIKE_SECRET_KEY";
  private static final Pattern SERVER =
      Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$");

  public DomainSettings {
    dnsServers = List.copyOf(dnsServers);
  }

  /**
   * Reads {@code TURNPIKE_SECRET_KEY} [none] (32 bytes, base64: {@code openssl rand -base64 32};
   * the gateway reads the same one), {@code TURNPIKE_CP_DOMAIN_DNS_SERVERS} [the machine's
   * resolvers], {@code TURNPIKE_CP_DOMAIN_DNS_TIMEOUT_MS} [3000], {@code
   * TURNPIKE_CP_DOMAIN_VERIFICATION} [dns; or http], {@code TURNPIKE_CP_DOMAIN_HTTP_PORT} [80] and
   * {@code TURNPIKE_GATEWAY_DOMAIN} [gateway.localhost].
   */
  public static DomainSettings read(SettingsReader read) {
    String key = read.secret(SECRET_KEY, false);
    SealedSecrets secrets = null;
    if (key != null && !key.isBlank()) {
      try {
        secrets = SealedSecrets.fromBase64Key(key);
      } catch (IllegalArgumentException e) {
        read.problem(SECRET_KEY + ": " + e.getMessage());
      }
    }
    List<String> servers = read.list("TURNPIKE_CP_DOMAIN_DNS_SERVERS", List.of());
    for (String server : servers) {
      if (!SERVER.matcher(server).matches()) {
        read.problem("TURNPIKE_CP_DOMAIN_DNS_SERVERS: '" + server + "' is not host or host:port");
      }
    }
    return new DomainSettings(
        secrets,
        servers,
        read.millis("TURNPIKE_CP_DOMAIN_DNS_TIMEOUT_MS", 3_000, 100, 30_000),
        read.oneOf("TURNPIKE_CP_DOMAIN_VERIFICATION", DNS, List.of(DNS, HTTP)),
        read.integer("TURNPIKE_CP_DOMAIN_HTTP_PORT", 80, 1, 65_535),
        read.string("TURNPIKE_GATEWAY_DOMAIN", DomainRules.DEFAULT_GATEWAY_DOMAIN));
  }
}
