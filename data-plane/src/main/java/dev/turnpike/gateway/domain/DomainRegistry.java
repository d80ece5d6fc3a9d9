package dev.turnpike.gateway.domain;

import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.DomainRules;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's custom domains as the TLS listener and the request chain read them: a {@link
 * DomainTable} swapped whole when the feed changes a domain, so a new handshake sees a new
 * certificate at once and a running one never sees half an update. A record that cannot be served
 * (its key does not open, a PEM does not parse, its name is the gateway's own or under it, its key
 * or PEM breaks {@link DomainRules}) is left out with one error naming the domain; the other
 * domains are untouched. Written from the feed's thread only.
 */
public final class DomainRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DomainRegistry.class);

  private final DomainCompiler compiler;
  private final String gatewayDomain;
  private final Counter ownerChanges;
  private final AtomicReference<DomainTable> table = new AtomicReference<>(DomainTable.EMPTY);
  private final Map<String, ServedDomain> served = new HashMap<>();

  /** The tenant of each name's last record, whether it could be served or not. */
  private final Map<String, String> owners = new HashMap<>();

  /**
   * @param compiler null when the node has no operator key: domains are then not served, and each
   *     is logged once as skipped
   * @param gatewayDomain the domain of the gateway's own host- and path-style addresses, which no
   *     custom domain may take
   * @param metrics where the owner changes the feed should never carry are counted
   */
  public DomainRegistry(DomainCompiler compiler, String gatewayDomain, MeterRegistry metrics) {
    this.compiler = compiler;
    this.gatewayDomain = Objects.requireNonNull(gatewayDomain, "gatewayDomain");
    this.ownerChanges =
        Counter.builder("turnpike.gateway.domains.owner.changes")
            .description(
                "Custom domain records that named another tenant than the name's previous record,"
                    + " without a tombstone between them")
            .register(metrics);
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
        owners.remove(name);
        continue;
      }
      if (!record.domainName().equals(name)) {
        LOG.error(
            "custom domain record keyed {} names {}: not served (the key must be the name)",
            name,
            record.domainName());
        continue;
      }
      noteOwner(record);
      Optional<String> reserved = DomainRules.reservedProblem(name, gatewayDomain);
      if (reserved.isPresent()) {
        LOG.error(
            "custom domain {} of tenant {} is not served: {}",
            name,
            record.tenantSlug(),
            reserved.get());
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

  /**
   * The control plane hands a name to another tenant only through a tombstone (the domain deleted
   * first). A record that changes the owner without one is served, as the feed's last word, but
   * reported: it means a control plane bug or a feed written by someone else.
   */
  private void noteOwner(DomainRecord record) {
    String previous = owners.put(record.domainName(), record.tenantId());
    if (previous != null && !previous.equals(record.tenantId())) {
      ownerChanges.increment();
      LOG.error(
          "custom domain {} changed owner from tenant {} to tenant {} ({}) without a tombstone",
          record.domainName(),
          previous,
          record.tenantId(),
          record.tenantSlug());
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    return out;
  }
}
