package dev.turnpike.gateway.domain;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks the certificate of each handshake by the name the client asked for (SNI) among every custom
 * domain, reading the registry's current table: a certificate swapped through the feed is served to
 * the next handshake, and connections already open keep the one they agreed on. An exact name wins
 * over a wildcard; no name or an unknown one gets the node's certificate, or fails the handshake
 * when the node has none.
 *
 * <p>The JDK asks for an alias, then for its chain and key in separate calls; an alias therefore
 * names one exact {@link ServedDomain} (by its compilation's sequence number, unique in the node),
 * so a swap between the calls cannot pair one domain's chain with another's key. A domain whose
 * policy is TLS 1.3 only offers no certificate to a handshake that negotiated TLS 1.2, which fails
 * it.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {
  private static final String NODE = "node";

  private final Supplier<DomainTable> domains;
  private final X509Certificate[] nodeChain;
  private final PrivateKey nodeKey;

  /**
   * The domains handed out as aliases ({@code name#sequence}, which names one compilation of a
   * domain); an entry stays while its domain is current and is dropped at the first call after the
   * feed replaced or removed it.
   */
  private final Map<String, ServedDomain> chosen = new ConcurrentHashMap<>();

  /** The table the last call read, to tell a swap. */
  private final AtomicReference<DomainTable> seen = new AtomicReference<>();

  /**
   * @param nodeChain the node's own certificate, null for none
   */
  public SniKeyManager(
      Supplier<DomainTable> domains, X509Certificate[] nodeChain, PrivateKey nodeKey) {
    this.domains = domains;
    this.nodeChain = nodeChain == null ? null : nodeChain.clone();
    this.nodeKey = nodeKey;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    SSLSession handshake = engine == null ? null : engine.getHandshakeSession();
    return alias(
        requestedName(handshake), keyType, handshake == null ? null : handshake.getProtocol());
  }

  /**
   * @param requested the SNI name, null for none
   * @param protocol the version the handshake negotiated, null when unknown
   */
  String alias(String requested, String keyType, String protocol) {
    DomainTable table = current();
    ServedDomain domain = table.lookup(requested);
    if (domain == null) {
      return nodeChain != null && nodeKey.getAlgorithm().equals(keyType) ? NODE : null;
    }
    if (!domain.key().getAlgorithm().equals(keyType)) {
      return null;
    }
    if (protocol != null && !domain.accepts(protocol)) {
      return null;
    }
    String alias = domain.name() + "#" + domain.sequence();
    chosen.putIfAbsent(alias, domain);
    // A swap between the lookup and the put was pruned without this alias: prune again.
    if (domains.get() != table) {
      forgetReplaced();
    }
    return alias;
  }

  /**
   * The registry's table, first dropping the aliases of the domains a swap since the last call
   * replaced or removed: their private keys leave the heap with them, and a handshake still between
   * its calls fails, as it would against a removed domain.
   */
  private DomainTable current() {
    DomainTable table = domains.get();
    if (seen.getAndSet(table) != table) {
      forgetReplaced();
    }
    return table;
  }

  /** Against the newest table, should another thread have swapped {@code seen} meanwhile. */
  private void forgetReplaced() {
    DomainTable newest = domains.get();
    chosen.values().removeIf(domain -> newest.lookup(domain.name()) != domain);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    // Vert.x runs TLS on engines; a socket has no name to choose by.
    return nodeChain != null && nodeKey.getAlgorithm().equals(keyType) ? NODE : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    if (NODE.equals(alias)) {
      return nodeChain == null ? null : nodeChain.clone();
    }
    current();
    ServedDomain domain = chosen.get(alias);
    return domain == null ? null : domain.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    if (NODE.equals(alias)) {
      return nodeKey;
    }
    current();
    ServedDomain domain = chosen.get(alias);
    return domain == null ? null : domain.key();
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return nodeChain == null ? null : new String[] {NODE};
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  /** The host name a client asked for, or null. */
  static String requestedName(SSLSession session) {
    if (!(session instanceof ExtendedSSLSession extended)) {
      return null;
    }
    List<SNIServerName> names = extended.getRequestedServerNames();
    for (SNIServerName name : names) {
      if (name.getType() == StandardConstants.SNI_HOST_NAME) {
        return name instanceof SNIHostName host
            ? host.getAsciiName()
            : new SNIHostName(name.getEncoded()).getAsciiName();
      }
    }
    return null;
  }
}
