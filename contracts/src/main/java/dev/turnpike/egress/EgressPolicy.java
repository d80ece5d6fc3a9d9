package dev.turnpike.egress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one rule for every call made on a tenant's behalf (integrations today): which addresses and
 * ports a tenant may reach. Public addresses are open; loopback, private, link-local, metadata and
 * reserved ones only where an operator grants them, node-wide or to one tenant (as API Gateway's
 * VPC links grant private targets); the platform's own listeners never, unless an operator grants
 * one tenant that listener's exact address and port (a JWT authorizer whose issuer is the
 * platform's own Keycloak). The trial mode of a one-machine platform also opens loopback and
 * private addresses, but still not the platform's listeners.
 *
 * <p>Pure and immutable: the gateway asks it about the address it is about to connect to, the
 * control plane about the literal hosts owners save.
 */
public final class EgressPolicy {
  /** How the policy treats non-public addresses no rule grants. */
  public enum Mode {
    /** Refused: the default, for every deployment that serves strangers. */
    STRICT,
    /** Loopback and private addresses allowed: the one-machine platform of {@code turnpike up}. */
    TRIAL
  }

  private static final EgressPolicy STRICT_DEFAULT =
      new EgressPolicy(Mode.STRICT, List.of(), Map.of(), List.of(), Set.of());

  private final Mode mode;
  private final List<AllowRule> allowed;
  private final Map<String, List<AllowRule>> allowedByTenant;
  private final List<PlatformListener> listeners;
  private final Set<InetAddress> machineAddresses;

  /**
   * @param allowedByTenant grants keyed by tenant id
   * @param machineAddresses this machine's own addresses, which wildcard listeners answer on
   */
  public EgressPolicy(
      Mode mode,
      List<AllowRule> allowed,
      Map<String, List<AllowRule>> allowedByTenant,
      List<PlatformListener> listeners,
      Set<InetAddress> machineAddresses) {
    this.mode = mode;
    this.allowed = List.copyOf(allowed);
    this.allowedByTenant =
        allowedByTenant.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    this.listeners = List.copyOf(listeners);
    this.machineAddresses =
        machineAddresses.stream().map(Addresses::canonical).collect(Collectors.toUnmodifiableSet());
  }

  /** Public addresses only, no grants, no listeners named. */
  public static EgressPolicy strict() {
    return STRICT_DEFAULT;
  }

  public Mode mode() {
    return mode;
  }

  /** The same policy, also refusing {@code more} (e.g. a service's own ports, once bound). */
  public EgressPolicy withListeners(List<PlatformListener> more) {
    List<PlatformListener> all = new ArrayList<>(listeners);
    all.addAll(more);
    return new EgressPolicy(mode, allowed, allowedByTenant, all, machineAddresses);
  }

  /**
   * Whether {@code tenantId} may reach {@code address} on {@code port} ({@link AllowRule#ANY_PORT}
   * when the port is not known yet: then listeners cannot match and grants match on their
   * addresses).
   */
  public EgressDecision check(String tenantId, InetAddress address, int port) {
    return check(tenantId, address, port, null);
  }

  /** As {@link #check(String, InetAddress, int)}; {@code shownAs} names the target in reasons. */
  private EgressDecision check(String tenantId, InetAddress address, int port, String shownAs) {
    InetAddress canonical = Addresses.canonical(address);
    String target = shownAs != null ? shownAs : canonical.getHostAddress();
    AddressClass kind = AddressClass.of(canonical);
    List<AllowRule> tenantRules = allowedByTenant.getOrDefault(tenantId, List.of());
    for (PlatformListener listener : listeners) {
      if (listener.reachedAt(canonical, port, machineAddresses)) {
        // Only the tenant's own grant of this very address and port opens a listener (as a VPC
        // link names one target): no range, no node-wide grant, no other tenant's grant.
        boolean named = !kind.neverAllowed() && namedExactly(tenantRules, canonical, port);
        return named
            ? EgressDecision.ALLOWED
            : EgressDecision.refused(
                "a listener of the platform itself (" + target + ":" + port + ")");
      }
    }
    if (kind == AddressClass.PUBLIC) {
      return EgressDecision.ALLOWED;
    }
    if (!kind.neverAllowed()
        && (granted(allowed, address, canonical, port)
            || granted(tenantRules, address, canonical, port)
            || (mode == Mode.TRIAL && kind.trialAllows()))) {
      return EgressDecision.ALLOWED;
    }
    return EgressDecision.refused(kind.description() + " (" + target + ")");
  }

  /**
   * What can be said of {@code host} without looking it up: an address literal (in any spelling
   * {@link HostLiteral} reads) is checked; a name that always means this machine ({@code
   * localhost}, {@code *.localhost}) or the cloud's metadata service ({@code
   * metadata.google.internal}) is checked as that address; a listener's name is refused. Any other
   * name gives null: only the address it resolves to can tell.
   */
  public EgressDecision checkHost(String tenantId, String host, int port) {
    InetAddress literal = HostLiteral.parse(host);
    if (literal != null) {
      return check(tenantId, literal, port);
    }
    String name = HostLiteral.normalize(host);
    if (isListenerName(name, port)) {
      return EgressDecision.refused(
          "a listener of the platform itself (" + name + ":" + port + ")");
    }
    InetAddress special = ReservedNames.addressOf(name);
    return special == null ? null : check(tenantId, special, port, name);
  }

  /** Whether {@code host} on {@code port} names one of the platform's listeners. */
  public boolean isListenerName(String host, int port) {
    String name = HostLiteral.normalize(host);
    return listeners.stream().anyMatch(listener -> listener.namedBy(name, port));
  }

  private static boolean namedExactly(List<AllowRule> rules, InetAddress canonical, int port) {
    for (AllowRule rule : rules) {
      if (rule.namesExactly(canonical, port)) {
        return true;
      }
    }
    return false;
  }

  private static boolean granted(
      List<AllowRule> rules, InetAddress address, InetAddress canonical, int port) {
    for (AllowRule rule : rules) {
      if (rule.covers(canonical, port) || rule.covers(address, port)) {
        return true;
      }
    }
    return false;
  }

  /** For start-up logs: the mode, the grants and the listeners. */
  public String describe() {
    return mode.name().toLowerCase(java.util.Locale.ROOT)
        + " (allowed: "
        + (allowed.isEmpty() ? "public addresses only" : allowed)
        + ", tenant grants: "
        + allowedByTenant
        + ", platform listeners: "
        + listeners.stream().map(l -> l.listener().toString()).toList()
        + ")";
  }
}
