package dev.turnpike.gateway.domain;

import dev.turnpike.contracts.domain.DomainRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's custom domains as the TLS listener and the request chain read them: a {@link
 * DomainTable} swapped whole when the feed changes a domain, so a new handshake sees a new
 * certificate at once and a running one never sees half an update. A record that cannot be served
 * (its key does not open, a PEM does not parse) is left out with one error naming the domain; the
 * other domains are untouched. Written from the feed's thread only.
 */
public final class DomainRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DomainRegistry.class);

  private final DomainCompiler compiler;
  private final AtomicReference<DomainTable> table = new AtomicReference<>(DomainTable.EMPTY);
  private final Map<String, ServedDomain> served = new HashMap<>();

  /**
   * @param compiler null when the node has no operator key: domains are then not served, and each
   *     is logged once as skipped
   */
  public DomainRegistry(DomainCompiler compiler) {
    this.compiler = compiler;
  }

  public DomainTable current() {
    return table.get();
  }

  /**
   * @param records every domain record the feed holds
   * @param changed the names whose records changed; ignored when {@code everything}
   */
  public void apply(Map<String, DomainRecord> records, Set<String> changed, boolean everything) {
    Set<String> names = everything ? Set.copyOf(union(records.keySet(), served.keySet())) : changed;
    if (names.isEmpty()) {
      return;
    }
    for (String name : names) {
      DomainRecord record = records.get(name);
      served.remove(name);
      if (record == null) {
        continue;
      }
      if (!record.domainName().equals(name)) {
        LOG.error(
            "custom domain record keyed {} names {}: not served (the key must be the name)",
            name,
            record.domainName());
        continue;
      }
      if (compiler == null) {
        LOG.error(
            "custom domain {} of tenant {} is not served: TURNPIKE_SECRET_KEY is not set",
            name,
            record.tenantSlug());
        continue;
      }
      try {
        served.put(name, compiler.compile(record));
      } catch (RuntimeException e) {
        LOG.error(
            "custom domain {} of tenant {} is not served: {}",
            name,
            record.tenantSlug(),
            e.getMessage());
      }
    }
    table.set(new DomainTable(served));
    LOG.info("custom domains live: {}", served.size());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    return out;
  }
}
