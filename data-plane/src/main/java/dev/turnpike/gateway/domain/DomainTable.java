package dev.turnpike.gateway.domain;

import java.util.Locale;
import java.util.Map;

/**
 * The custom domains a node serves, by name, looked up as certificates match names: the exact name
 * first, then the wildcard {@code *.parent} for a name one label below {@code parent}. Immutable;
 * the registry swaps in a new table when the feed changes a domain.
 */
public final class DomainTable {
  public static final DomainTable EMPTY = new DomainTable(Map.of());

  private final Map<String, ServedDomain> byName;

  DomainTable(Map<String, ServedDomain> byName) {
    this.byName = Map.copyOf(byName);
  }

  /**
   * @param hostname a host name without port, any case; may be null
   * @return the domain serving it, or null
   */
  public ServedDomain lookup(String hostname) {
    if (hostname == null || hostname.isEmpty() || byName.isEmpty()) {
      return null;
    }
    String name = hostname.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    ServedDomain exact = byName.get(name);
    if (exact != null) {
      return exact;
    }
    int dot = name.indexOf('.');
    // A wildcard covers exactly one label, and never a bare top-level name.
    if (dot <= 0 || name.indexOf('.', dot + 1) < 0) {
      return null;
    }
    return byName.get("*" + name.substring(dot));
  }

  public int size() {
    return byName.size();
  }

  public boolean isEmpty() {
    return byName.isEmpty();
  }
}
