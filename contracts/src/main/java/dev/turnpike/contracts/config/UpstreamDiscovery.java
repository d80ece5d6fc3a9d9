package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * Targets found in DNS, as Kubernetes services and Consul publish them.
 *
 * <p>With {@code records} {@code "a"} (the default) every A and AAAA address of {@code hostname}
 * becomes a target {@code scheme://address:port} of weight {@code weight}, and each gateway node
 * re-resolves the name when the answer's smallest TTL runs out, and at least every {@code
 * refreshSeconds}.
 *
 * <p>With {@code records} {@code "srv"} {@code hostname} names SRV records ({@code
 * _http._tcp.shop.service.consul}): each record's target name is resolved to its addresses, and
 * each address becomes a target on the record's port, with the record's weight and priority; the
 * lookup is repeated when the records' smallest TTL runs out, and at least every {@code
 * refreshSeconds}. {@code port} and {@code weight} are the records' then and are left out (0).
 */
public record UpstreamDiscovery(
    String hostname,
    // Left out for SRV records: absent reads as 0, not as a missing number.
    @JsonSetter(nulls = Nulls.AS_EMPTY) int port,
    String scheme,
    @JsonSetter(nulls = Nulls.AS_EMPTY) int weight,
    int refreshSeconds,
    String records) {
  public static final int MAX_REFRESH_SECONDS = 3600;

  /** A and AAAA records of the host name. */
  public static final String A = "a";

  /** SRV records: port, weight and priority per record, re-resolved on their TTL. */
  public static final String SRV = "srv";

  public UpstreamDiscovery {
    // Snapshots and rows written before SRV records existed read as A/AAAA discovery.
    records = records == null ? A : records;
  }

  /** Discovery from A and AAAA records. */
  public UpstreamDiscovery(
      String hostname, int port, String scheme, int weight, int refreshSeconds) {
    this(hostname, port, scheme, weight, refreshSeconds, A);
  }

  /** Discovery from SRV records: port and weight come from each record. */
  public static UpstreamDiscovery srv(String hostname, String scheme, int refreshSeconds) {
    return new UpstreamDiscovery(hostname, 0, scheme, 0, refreshSeconds, SRV);
  }

  @JsonIgnore
  public boolean srvRecords() {
    return SRV.equals(records);
  }
}
