package dev.turnpike.contracts.config;

import dev.turnpike.egress.Cidr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Allow and deny rules on a caller's source address, as API Gateway resource policies with {@code
 * aws:SourceIp} conditions: the API's and the stage's rules merged at deploy time. Deny wins; with
 * allow rules present, an address outside them is denied.
 *
 * <p>This record is the one home of what a valid rule is ({@link #problem()}) and of how an API's
 * and a stage's rules combine ({@link #merge}): the management API, the OpenAPI import and the
 * gateway all call it.
 *
 * @param allowCidrs IPv4 and IPv6 CIDR blocks ({@code 203.0.113.0/24}, {@code 2001:db8::/32});
 *     empty admits every address not denied
 * @param denyCidrs CIDR blocks refused even when an allow rule matches
 */
public record SourceIpPolicy(List<String> allowCidrs, List<String> denyCidrs) {
  /** The most CIDR blocks one list may hold; the gateway checks them all on every call. */
  public static final int MAX_CIDRS = 500;

  public SourceIpPolicy {
    allowCidrs = copy(allowCidrs);
    denyCidrs = copy(denyCidrs);
  }

  /** An unmodifiable copy that keeps null entries, so {@link #problem()} can name them. */
  private static List<String> copy(List<String> cidrs) {
    return cidrs == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(cidrs));
  }

  /** Whether the policy has no rule at all, and so admits every address. */
  public boolean isEmpty() {
    return allowCidrs.isEmpty() && denyCidrs.isEmpty();
  }

  /**
   * What is wrong with the rules, naming the first bad entry ({@code "denyCidrs[2] '10.0.0.1/33':
   * the prefix length must be at most 32"}); null when every entry is an IPv4 or IPv6 address or
   * CIDR block with no bits set beyond its prefix.
   */
  public String problem() {
    String allow = problemIn("allowCidrs", allowCidrs);
    return allow != null ? allow : problemIn("denyCidrs", denyCidrs);
  }

  private static String problemIn(String name, List<String> cidrs) {
    if (cidrs.size() > MAX_CIDRS) {
      return name + " has " + cidrs.size() + " entries; at most " + MAX_CIDRS + " are allowed";
    }
    for (int i = 0; i < cidrs.size(); i++) {
      String cidr = cidrs.get(i);
      if (cidr == null || cidr.isBlank()) {
        return name + "[" + i + "] is empty; expected a CIDR block such as 203.0.113.0/24";
      }
      try {
        Cidr.parse(cidr.strip());
      } catch (IllegalArgumentException e) {
        return name + "[" + i + "] " + e.getMessage();
      }
    }
    return null;
  }

  /** The rules as parsed blocks, for a gateway to compile. */
  public List<Cidr> allowBlocks() {
    return blocks(allowCidrs);
  }

  /** The deny rules as parsed blocks, for a gateway to compile. */
  public List<Cidr> denyBlocks() {
    return blocks(denyCidrs);
  }

  private static List<Cidr> blocks(List<String> cidrs) {
    List<Cidr> blocks = new ArrayList<>(cidrs.size());
    for (String cidr : cidrs) {
      blocks.add(Cidr.parse(cidr.strip()));
    }
    return List.copyOf(blocks);
  }

  /**
   * An API's rules with a stage's: the stage's allow and deny blocks are added to the API's (a
   * stage can admit further addresses and refuse further ones; deny still wins over every allow).
   * Null when neither has a rule, so a stage without a policy carries none.
   */
  public static SourceIpPolicy merge(SourceIpPolicy api, SourceIpPolicy stage) {
    List<String> allow =
        union(api == null ? null : api.allowCidrs, stage == null ? null : stage.allowCidrs);
    List<String> deny =
        union(api == null ? null : api.denyCidrs, stage == null ? null : stage.denyCidrs);
    return allow.isEmpty() && deny.isEmpty() ? null : new SourceIpPolicy(allow, deny);
  }

  private static List<String> union(List<String> first, List<String> second) {
    Set<String> all = new LinkedHashSet<>();
    if (first != null) {
      first.forEach(cidr -> all.add(cidr.strip()));
    }
    if (second != null) {
      second.forEach(cidr -> all.add(cidr.strip()));
    }
    return List.copyOf(all);
  }
}
