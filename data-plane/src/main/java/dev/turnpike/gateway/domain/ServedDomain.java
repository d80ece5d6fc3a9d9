package dev.turnpike.gateway.domain;

import dev.turnpike.contracts.domain.BasePathMapping;
import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import dev.turnpike.gateway.routing.GatewayAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;

/**
 * A custom domain ready to serve: its opened key and parsed chain, the lowest TLS version it
 * accepts, the trust its clients' certificates must chain to, and its base paths. Immutable; a
 * changed record makes a new one, which is also how a connection tells that the trust it was
 * verified against is still the domain's ({@link #trust()} identity).
 *
 * @param tenantId the tenant that owns the domain; the only tenant whose stages it reaches
 * @param tenantSlug that tenant's slug, which stages are looked up by
 * @param trust null when the domain takes no client certificate
 * @param sequence this compilation's number, unique within the node: what the TLS key manager's
 *     aliases name it by
 */
public record ServedDomain(
    String name,
    String tenantId,
    String tenantSlug,
    X509Certificate[] chain,
    PrivateKey key,
    TlsSecurityPolicy policy,
    X509TrustManager trust,
    Map<String, BasePathMapping> mappingsByBasePath,
    long sequence) {

  public ServedDomain {
    mappingsByBasePath = Map.copyOf(mappingsByBasePath);
  }

  static Map<String, BasePathMapping> byBasePath(List<BasePathMapping> mappings) {
    Map<String, BasePathMapping> out = new HashMap<>();
    for (BasePathMapping mapping : mappings) {
      // The first mapping of a base path wins, as the control plane refuses duplicates anyway.
      out.putIfAbsent(mapping.basePath(), mapping);
    }
    return out;
  }

  public boolean mutualTls() {
    return trust != null;
  }

  /** Whether a connection that negotiated {@code protocol} (e.g. {@code TLSv1.2}) may be served. */
  public boolean accepts(String protocol) {
    return policy.protocols().contains(protocol);
  }

  /**
   * The stage a request path reaches through this domain's base paths, as API Gateway maps them:
   * the path's first segment names a base path, else the empty base path serves the whole path.
   *
   * @param path the raw path, starting with '/'
   * @return empty when no base path matches
   */
  public Optional<GatewayAddress> map(String path) {
    if (path == null || !path.startsWith("/")) {
      return Optional.empty();
    }
    int slash = path.indexOf('/', 1);
    int segmentEnd = slash < 0 ? path.length() : slash;
    String first = path.substring(1, segmentEnd);
    if (!first.isEmpty()) {
      BasePathMapping mapping = mappingsByBasePath.get(first);
      if (mapping != null) {
        String rest = segmentEnd == path.length() ? "/" : path.substring(segmentEnd);
        return Optional.of(address(mapping, rest));
      }
    }
    BasePathMapping root = mappingsByBasePath.get("");
    return root == null ? Optional.empty() : Optional.of(address(root, path));
  }

  private GatewayAddress address(BasePathMapping mapping, String rest) {
    return new GatewayAddress(tenantSlug, mapping.apiSlug(), mapping.stage(), rest);
  }
}
