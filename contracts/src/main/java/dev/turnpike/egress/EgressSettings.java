package dev.turnpike.egress;

import dev.turnpike.settings.SettingsReader;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The egress policy as a service's settings give it. Each service names the variables (so its
 * sources list what it reads); the gateway and the control plane read the same ones, so they cannot
 * disagree:
 *
 * <ul>
 *   <li>mode: {@code strict} (the default) or {@code trial}
 *   <li>allow: comma-separated {@link AllowRule}s every tenant may reach, e.g. {@code
 *       10.1.0.0/16:8080,[fd12::/64]:443}
 *   <li>tenant allow: per tenant id, {@code tenant=rule,rule;tenant=rule}; a rule naming one
 *       address and one port ({@code tenant=127.0.0.1:8180}) also opens a platform listener there
 *       to that tenant alone
 *   <li>listeners: comma-separated {@link HostPort}s of the platform's own services
 * </ul>
 */
public record EgressSettings(
    EgressPolicy.Mode mode,
    List<AllowRule> allowed,
    Map<String, List<AllowRule>> allowedByTenant,
    List<HostPort> listeners) {

  /** The variable names a service reads the settings from. */
  public record Keys(String mode, String allow, String tenantAllow, String listeners) {}

  public EgressSettings {
    allowed = List.copyOf(allowed);
    allowedByTenant = Map.copyOf(allowedByTenant);
    listeners = List.copyOf(listeners);
  }

  /** Reads the settings; every bad value is a problem of {@code read} naming its variable. */
  public static EgressSettings read(SettingsReader read, Keys keys) {
    String mode = read.oneOf(keys.mode(), "strict", List.of("strict", "trial"));
    List<AllowRule> allowed = rules(read, keys.allow(), read.optional(keys.allow()));
    Map<String, List<AllowRule>> byTenant = new LinkedHashMap<>();
    String tenants = read.optional(keys.tenantAllow());
    if (tenants != null) {
      for (String grant : tenants.split(";")) {
        if (grant.isBlank()) {
          continue;
        }
        int equals = grant.indexOf('=');
        String tenant = equals < 0 ? "" : grant.substring(0, equals).strip();
        if (tenant.isEmpty() || tenant.contains(" ") || tenant.contains(",")) {
          read.problem(
              keys.tenantAllow()
                  + ": '"
                  + grant.strip()
                  + "' is not tenant-id=rule,rule (grants separated by ';')");
          continue;
        }
        byTenant
            .computeIfAbsent(tenant, t -> new ArrayList<>())
            .addAll(rules(read, keys.tenantAllow(), grant.substring(equals + 1)));
      }
    }
    List<HostPort> listeners = new ArrayList<>();
    for (String item : read.list(keys.listeners(), List.of())) {
      try {
        listeners.add(HostPort.parse(item));
      } catch (IllegalArgumentException e) {
        read.problem(keys.listeners() + ": " + e.getMessage());
      }
    }
    return new EgressSettings(
        EgressPolicy.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), allowed, byTenant, listeners);
  }

  private static List<AllowRule> rules(SettingsReader read, String key, String value) {
    List<AllowRule> rules = new ArrayList<>();
    if (value == null) {
      return rules;
    }
    for (String item : value.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      try {
        if (item.indexOf('=') >= 0) {
          read.problem(
              key
                  + ": '"
                  + item.strip()
                  + "' is not a rule: another tenant's grants follow a ';'"
                  + " (tenant-id=rule,rule;tenant-id=rule)");
          continue;
        }
        rules.add(AllowRule.parse(item));
      } catch (IllegalArgumentException e) {
        read.problem(key + ": " + e.getMessage());
      }
    }
    return rules;
  }

  /**
   * The policy, with listener names resolved through {@code network} and {@code own} (the service's
   * own listeners) refused too.
   */
  public EgressPolicy policy(MachineNetwork network, List<HostPort> own) {
    List<PlatformListener> resolved = new ArrayList<>();
    List<HostPort> all = new ArrayList<>(listeners);
    all.addAll(own);
    for (HostPort listener : all) {
      PlatformListener literal = PlatformListener.literal(listener);
      boolean name = !listener.wildcard() && literal.addresses().isEmpty();
      resolved.add(
          name ? new PlatformListener(listener, network.resolve(listener.host())) : literal);
    }
    boolean anyWildcard = all.stream().anyMatch(HostPort::wildcard);
    java.util.Set<InetAddress> machine = anyWildcard ? network.ownAddresses() : java.util.Set.of();
    return new EgressPolicy(mode, allowed, allowedByTenant, resolved, machine);
  }
}
