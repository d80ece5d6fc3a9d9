package dev.turnpike.contracts.domain;

import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.Versioned;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A tenant's custom domain as a gateway node serves it, published on {@link
 * dev.turnpike.contracts.Topics#DOMAINS} keyed by {@link #domainName()} once the tenant has proved
 * control of the name. A tombstone stops serving it. One domain name belongs to one tenant: the
 * control plane refuses a second registration, and the key makes the last record win.
 *
 * @param domainName lower case; {@code *.example.com} serves any one label under {@code
 *     example.com} (as a wildcard certificate does)
 * @param certificateChainPem the leaf certificate first, then its intermediates, PEM
 * @param sealedPrivateKey the PKCS#8 PEM private key sealed with {@link SealedSecrets}: the feed
 *     never carries it in clear
 * @param securityPolicy the lowest TLS version accepted
 * @param truststorePem for mutual TLS, the PEM bundle of CA certificates a client certificate must
 *     chain to; null for no client certificate
 * @param mappings the base paths and the API stages they serve
 */
public record DomainRecord(
    int schemaVersion,
    String domainName,
    String tenantId,
    String tenantSlug,
    String certificateChainPem,
    String sealedPrivateKey,
    TlsSecurityPolicy securityPolicy,
    String truststorePem,
    String crlPem,
    List<BasePathMapping> mappings)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  public static final JsonCodec<DomainRecord> CODEC =
      JsonCodec.of(DomainRecord.class, SCHEMA_VERSION);

  public DomainRecord {
    Objects.requireNonNull(domainName, "domainName");
    domainName = domainName.toLowerCase(Locale.ROOT);
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(tenantSlug, "tenantSlug");
    securityPolicy = securityPolicy == null ? TlsSecurityPolicy.TLS_1_2 : securityPolicy;
    mappings = mappings == null ? List.of() : List.copyOf(mappings);
  }

  /** Whether clients must present a certificate that chains to {@link #truststorePem()}. */
  public boolean mutualTls() {
    return truststorePem != null && !truststorePem.isBlank();
  }

  /** Whether client certificates are checked against revocation lists. */
  public boolean revocationLists() {
    return mutualTls() && crlPem != null && !crlPem.isBlank();
  }

  /** Whether this is a wildcard domain ({@code *.example.com}). */
  public boolean wildcard() {
    return domainName.startsWith("*.");
  }
}
