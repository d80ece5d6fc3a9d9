package dev.turnpike.contracts.domain;

import java.util.List;

/**
 * The lowest TLS version a custom domain accepts, as API Gateway's {@code securityPolicy}. TLS 1.0
 * and 1.1 are not offered at all.
 */
public enum TlsSecurityPolicy {
  /** TLS 1.2 and 1.3 (API Gateway's {@code TLS_1_2}); the default. */
  TLS_1_2(List.of("TLSv1.3", "TLSv1.2")),
  /** TLS 1.3 only. */
  TLS_1_3(List.of("TLSv1.3"));

  private final List<String> protocols;

  TlsSecurityPolicy(List<String> protocols) {
    this.protocols = protocols;
  }

  /** The JSSE protocol names a listener enables for a domain under this policy. */
  public List<String> protocols() {
    return protocols;
  }
}
