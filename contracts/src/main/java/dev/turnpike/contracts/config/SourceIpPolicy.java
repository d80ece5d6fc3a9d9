package dev.turnpike.contracts.config;

import java.util.List;

/**
 * Allow and deny rules on a caller's source address, as API Gateway resource policies with {@code
 * aws:SourceIp} conditions: the API's and the stage's rules merged at deploy time. Deny wins; with
 * allow rules present, an address outside them is denied.
 *
 * @param allowCidrs IPv4 and IPv6 CIDR blocks ({@code 203.0.113.0/24}, {@code 2001:db8::/32});
 *     empty admits every address not denied
 * @param denyCidrs CIDR blocks refused even when an allow rule matches
 */
public record SourceIpPolicy(List<String> allowCidrs, List<String> denyCidrs) {
  public SourceIpPolicy {
    allowCidrs = allowCidrs == null ? List.of() : List.copyOf(allowCidrs);
    denyCidrs = denyCidrs == null ? List.of() : List.copyOf(denyCidrs);
  }
}
