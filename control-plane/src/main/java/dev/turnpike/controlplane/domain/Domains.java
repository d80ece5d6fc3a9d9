package dev.turnpike.controlplane.domain;

import dev.turnpike.contracts.domain.DomainRules;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Use cases of a tenant's custom domains, as API Gateway's {@code DomainName} and {@code
 * BasePathMapping}: register a name (unique across all tenants), prove control of it with a DNS TXT
 * record, upload its certificate and key (the key sealed at once), set its TLS policy and mutual
 * TLS truststore with its CRLs, and map base paths to the tenant's API stages. A verified domain
 * with a certificate is republished on every change; a deleted one is withdrawn.
 */
public final class Domains {
  /** API Gateway shows the empty base path as {@code (none)}; so do paths that name one. */
  public static final String NO_BASE_PATH = "(none)";

  private static final Pattern BASE_PATH = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");
  private static final Pattern STAGE = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final SecureRandom RANDOM = new SecureRandom();

  public record RegisterDomain(String domainName) {}

  public record CertificateInput(String certificateChain, String privateKey) {}

  /**
   * @param securityPolicy {@code TLS_1_2} (default) or {@code TLS_1_3}
   * @param truststore a PEM bundle of CA certificates for mutual TLS; null or empty for none
   * @param crls PEM X.509 CRLs, each signed by a CA of {@code truststore}, whose listed client
   *     certificates are refused; null or empty for none. Uploaded, never fetched
   */
  public record SettingsInput(String securityPolicy, String truststore, String crls) {
    public SettingsInput(String securityPolicy, String truststore) {
      this(securityPolicy, truststore, null);
    }
  }

  public record MappingInput(String basePath, String apiId, String stage) {}

  /**
   * How to prove control: {@code dns-txt}, publish {@code recordValue} as a TXT record named {@code
   * recordName}; or {@code http-token}, serve {@code recordValue} as the body of {@code url}.
   */
  public record Verification(String method, String recordName, String recordValue, String url) {
    /** Where the token is looked for, as a person reads it. */
    public String where() {
      return url != null ? url : "the TXT record " + recordName;
    }
  }

  /** A mapping as the owner reads it; {@code basePath} is {@code ""} for the whole domain. */
  public record MappingView(String basePath, UUID apiId, String stage, Instant createdAt) {}

  /** A domain as the owner reads it: never its private key, sealed or not. */
  public record DomainView(
      String domainName,
      String status,
      Verification verification,
      Instant verifiedAt,
      CertificateChecks.Summary certificate,
      TlsSecurityPolicy securityPolicy,
      boolean mutualTls,
      List<CertificateChecks.Summary> truststore,
      List<CertificateChecks.CrlSummary> crls,
      List<MappingView> mappings,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * The PEM texts of a domain's mutual TLS settings, which are public (CA certificates and their
   * CRLs), for a form that edits them: saving a form that left them out would clear them.
   */
  public record TlsSettings(String truststorePem, String crlPem) {}

  /** What a verification looks for, read in one transaction and judged in the next. */
  public record Challenge(UUID tenantId, String domainName, String where, String token) {}

  private final TxStore<DomainStore> domainStore;
  private final TxStore<ApiStore> apiStore;
  private final TxStore<DeploymentStore> deploymentStore;
  private final DomainPublisher publisher;
  private final OwnershipCheck ownership;
  private final SealedSecrets secrets;
  private final OwnerLimits limits;
  private final String gatewayDomain;

  /**
   * @param secrets seals private keys; null when the operator has set no key, and then certificates
   *     are refused
   * @param gatewayDomain the gateway's own domain, which no custom domain may capture
   */
  public Domains(
      TxStore<DomainStore> domainStore,
      TxStore<ApiStore> apiStore,
      TxStore<DeploymentStore> deploymentStore,
      DomainPublisher publisher,
      OwnershipCheck ownership,
      SealedSecrets secrets,
      OwnerLimits limits,
      String gatewayDomain) {
    this.domainStore = domainStore;
    this.apiStore = apiStore;
    this.deploymentStore = deploymentStore;
    this.publisher = publisher;
    this.ownership = ownership;
    this.secrets = secrets;
    this.limits = limits;
    this.gatewayDomain = gatewayDomain;
  }

  /** Whether the name is the gateway's own or under it, reported to {@code v} if so. */
  private boolean isReserved(Validation v, String name) {
    return DomainRules.reservedProblem(name, gatewayDomain)
        .map(
            problem -> {
              v.add("/domainName", problem);
              return true;
            })
        .orElse(false);
  }

  public DomainView register(TenantTx tx, RegisterDomain in) {
    Validation v = new Validation();
    String name = in.domainName() == null ? null : DomainNames.normalize(in.domainName());
    if (v.required("/domainName", name)) {
      if (v.ok() && !DomainNames.isRegistrable(name)) {
        v.add("/domainName", DomainNames.RULE);
      } else if (v.ok() && isReserved(v, name)) {
        // Reported by isReserved.
      } else if (v.ok() && ownership.refusal(name) != null) {
        v.add("/domainName", ownership.refusal(name));
      }
    }
    v.throwIfInvalid();
    DomainStore store = domainStore.in(tx);
    if (store.find(name).isPresent()) {
      throw ApiFailure.conflict("Domain " + name + " is already registered in this tenant");
    }
    limits.check(Limit.DOMAINS_PER_TENANT, store.count() + 1L, null);
    CustomDomain domain =
        new CustomDomain(
            name,
            newToken(),
            null,
            null,
            null,
            null,
            TlsSecurityPolicy.TLS_1_2,
            null,
            null,
            tx.now(),
            tx.now());
    // A name another tenant holds fails here, on the key every tenant shares, with a conflict
    // that says no more than that the name is taken.
    store.insert(domain);
    DomainView view = view(tx, domain);
    tx.audit().record("domain.create", "domain", name, null, view);
    return view;
  }

  public List<DomainView> list(TenantTx tx) {
    return domainStore.in(tx).list().stream().map(d -> view(tx, d)).toList();
  }

  public DomainView get(TenantTx tx, String name) {
    return view(tx, find(tx, name));
  }

  public TlsSettings tlsSettings(TenantTx tx, String name) {
    CustomDomain domain = find(tx, name);
    return new TlsSettings(domain.truststorePem(), domain.crlPem());
  }

  public void delete(TenantTx tx, String name) {
    DomainStore store = domainStore.in(tx);
    CustomDomain before = store.lock(normalize(name)).orElseThrow(() -> notFound(name));
    DomainView view = view(tx, before);
    store.delete(before.name());
    publisher.withdraw(tx, before);
    tx.audit().record("domain.delete", "domain", before.name(), view, null);
  }

  /** What {@link #verify} will look for; read before the (slow) lookup, outside it. */
  public Challenge challenge(TenantTx tx, String name) {
    CustomDomain domain = find(tx, name);
    return new Challenge(
        tx.tenantId(),
        domain.name(),
        ownership.instructions(domain.name(), domain.verificationToken()).where(),
        domain.verificationToken());
  }

  /** Looks for the challenge's token: blocking, and outside any transaction. */
  public OwnershipCheck.Evidence look(Challenge challenge) {
    return ownership.look(challenge.tenantId(), challenge.domainName(), challenge.token());
  }

  /**
   * Marks the domain verified when the lookup found its token, and publishes it if it has a
   * certificate. Verifying a verified domain again changes nothing.
   *
   * @throws ApiFailure conflict saying what was found when the token is not there
   */
  public DomainView verify(TenantTx tx, Challenge challenge, OwnershipCheck.Evidence answer) {
    DomainStore store = domainStore.in(tx);
    CustomDomain before =
        store.lock(challenge.domainName()).orElseThrow(() -> notFound(challenge.domainName()));
    if (before.verified()) {
      return view(tx, before);
    }
    if (!before.verificationToken().equals(challenge.token())
        || !tx.tenantId().equals(challenge.tenantId())) {
      throw ApiFailure.conflict("The domain changed during verification; verify it again");
    }
    if (answer.failure() != null) {
      throw new ApiFailure(
          ProblemKind.UNAVAILABLE,
          "Control of " + before.name() + " could not be checked: " + answer.failure());
    }
    if (!answer.values().contains(challenge.token())) {
      throw ApiFailure.conflict(
          "The verification token was not found at "
              + challenge.where()
              + (answer.values().isEmpty()
                  ? " (nothing is there)"
                  : " (it holds " + answer.values().size() + " other value(s))")
              + "; publish it and verify again (DNS changes may take a while to show)");
    }
    CustomDomain after = before.verifiedAt(tx.now());
    store.update(after);
    publisher.publishIfServable(tx, after);
    DomainView view = view(tx, after);
    tx.audit().record("domain.verify", "domain", after.name(), view(tx, before), view);
    return view;
  }

  /**
   * Replaces the domain's certificate and key. The key is sealed before it is stored; nothing that
   * answers carries it.
   */
  public DomainView putCertificate(TenantTx tx, String name, CertificateInput in) {
    CustomDomain found = find(tx, name);
    if (secrets == null) {
      throw new ApiFailure(
          ProblemKind.UNAVAILABLE,
          "This Turnpike has no secret key to seal private keys with; its operator sets "
              + DomainSettings.SECRET_KEY);
    }
    Validation v = new Validation();
    CertificateChecks.Accepted accepted =
        CertificateChecks.certificate(
            v, found.name(), in.certificateChain(), in.privateKey(), tx.now());
    v.throwIfInvalid();
    DomainStore store = domainStore.in(tx);
    CustomDomain before = store.lock(found.name()).orElseThrow(() -> notFound(name));
    CustomDomain after =
        before.withCertificate(
            accepted.chainPem(),
            secrets.seal(accepted.pkcs8KeyPem(), before.name()),
            accepted.leaf().notAfter(),
            tx.now());
    store.update(after);
    publisher.publishIfServable(tx, after);
    DomainView view = view(tx, after);
    tx.audit().record("domain.certificate", "domain", after.name(), view(tx, before), view);
    return view;
  }

  /** Sets the TLS policy, the mutual TLS truststore and its CRLs, replacing all three. */
  public DomainView updateSettings(TenantTx tx, String name, SettingsInput in) {
    CustomDomain found = find(tx, name);
    Validation v = new Validation();
    TlsSecurityPolicy policy = TlsSecurityPolicy.TLS_1_2;
    if (in.securityPolicy() != null) {
      try {
        policy = TlsSecurityPolicy.valueOf(in.securityPolicy());
      } catch (IllegalArgumentException e) {
        v.add("/securityPolicy", "must be one of " + Arrays.toString(TlsSecurityPolicy.values()));
      }
    }
    String truststore = null;
    if (in.truststore() != null && !in.truststore().isBlank()) {
      truststore = CertificateChecks.truststore(v, in.truststore(), tx.now());
    }
    String crls = null;
    if (in.crls() != null && !in.crls().isBlank()) {
      if (in.truststore() == null || in.truststore().isBlank()) {
        v.add(
            "/crls", "needs a truststore: each CRL must be signed by one of the truststore's CAs");
      } else if (truststore != null) {
        crls = CertificateChecks.crls(v, in.crls(), truststore);
      }
    }
    v.throwIfInvalid();
    DomainStore store = domainStore.in(tx);
    CustomDomain before = store.lock(found.name()).orElseThrow(() -> notFound(name));
    CustomDomain after = before.withSettings(policy, truststore, crls, tx.now());
    store.update(after);
    publisher.publishIfServable(tx, after);
    DomainView view = view(tx, after);
    tx.audit().record("domain.update", "domain", after.name(), view(tx, before), view);
    return view;
  }

  public List<MappingView> mappings(TenantTx tx, String name) {
    return domainStore.in(tx).mappings(find(tx, name).name()).stream()
        .map(Domains::mappingView)
        .toList();
  }

  /**
   * Maps a base path of the domain to a stage of one of the tenant's APIs; an API of another tenant
   * is one that does not exist here.
   */
  public MappingView createMapping(TenantTx tx, String name, MappingInput in) {
    CustomDomain found = find(tx, name);
    Validation v = new Validation();
    String basePath = in.basePath() == null ? "" : in.basePath();
    if (!basePath.isEmpty() && !NO_BASE_PATH.equals(basePath)) {
      v.matches(
          "/basePath",
          basePath,
          BASE_PATH,
          "must be one path segment of up to 128 letters, digits or . _ ~ -, or empty for the"
              + " whole domain");
    }
    basePath = NO_BASE_PATH.equals(basePath) ? "" : basePath;
    UUID apiId = null;
    if (v.required("/apiId", in.apiId())) {
      apiId = uuid(in.apiId());
      if (apiId == null || apiStore.in(tx).findApi(apiId).isEmpty()) {
        v.add("/apiId", "names no API of this tenant");
        apiId = null;
      }
    }
    if (v.required("/stage", in.stage())) {
      v.matches("/stage", in.stage(), STAGE, "must be 1 to 64 letters, digits, '_' or '-'");
      if (apiId != null
          && deploymentStore.in(tx).listStages(apiId).stream()
              .noneMatch(s -> s.name().equals(in.stage()))) {
        v.add("/stage", "names no stage of the API");
      }
    }
    v.throwIfInvalid();
    DomainStore store = domainStore.in(tx);
    CustomDomain domain = store.lock(found.name()).orElseThrow(() -> notFound(name));
    List<DomainMapping> existing = store.mappings(domain.name());
    String path = basePath;
    if (existing.stream().anyMatch(m -> m.basePath().equals(path))) {
      throw ApiFailure.conflict(
          "Domain "
              + domain.name()
              + " already maps "
              + (path.isEmpty() ? "the empty base path" : "base path '" + path + "'"));
    }
    limits.check(Limit.MAPPINGS_PER_DOMAIN, existing.size() + 1L, null);
    DomainMapping mapping = new DomainMapping(domain.name(), path, apiId, in.stage(), tx.now());
    store.insertMapping(mapping);
    publisher.publishIfServable(tx, domain);
    MappingView view = mappingView(mapping);
    tx.audit().record("domain.mapping.create", "domain", domain.name(), null, view);
    return view;
  }

  /**
   * @param basePath the base path, or {@link #NO_BASE_PATH} for the empty one
   */
  public void deleteMapping(TenantTx tx, String name, String basePath) {
    DomainStore store = domainStore.in(tx);
    CustomDomain domain = store.lock(normalize(name)).orElseThrow(() -> notFound(name));
    String path = NO_BASE_PATH.equals(basePath) ? "" : basePath;
    DomainMapping before =
        store.mappings(domain.name()).stream()
            .filter(m -> m.basePath().equals(path))
            .findFirst()
            .orElseThrow(() -> ApiFailure.notFound("Base path mapping " + basePath));
    store.deleteMapping(domain.name(), path);
    publisher.publishIfServable(tx, domain);
    tx.audit().record("domain.mapping.delete", "domain", domain.name(), mappingView(before), null);
  }

  /**
   * Before an API is deleted (its mappings go with it, by the schema): republishes, once the API is
   * gone, the domains that mapped it.
   */
  public Runnable beforeApiDelete(TenantTx tx, UUID apiId) {
    List<String> names = new ArrayList<>(domainStore.in(tx).mappedTo(apiId));
    return () -> {
      DomainStore store = domainStore.in(tx);
      for (String name : names) {
        store.find(name).ifPresent(d -> publisher.publishIfServable(tx, d));
      }
    };
  }

  private CustomDomain find(TenantTx tx, String name) {
    return domainStore.in(tx).find(normalize(name)).orElseThrow(() -> notFound(name));
  }

  private DomainView view(TenantTx tx, CustomDomain d) {
    String status =
        !d.verified()
            ? "PENDING_OWNERSHIP_VERIFICATION"
            : d.certificateChainPem() == null ? "PENDING_CERTIFICATE" : "AVAILABLE";
    return new DomainView(
        d.name(),
        status,
        ownership.instructions(d.name(), d.verificationToken()),
        d.verifiedAt(),
        d.certificateChainPem() == null
            ? null
            : CertificateChecks.summaries(d.certificateChainPem()).get(0),
        d.securityPolicy(),
        d.truststorePem() != null,
        d.truststorePem() == null ? List.of() : CertificateChecks.summaries(d.truststorePem()),
        d.crlPem() == null ? List.of() : CertificateChecks.crlSummaries(d.crlPem(), tx.now()),
        domainStore.in(tx).mappings(d.name()).stream().map(Domains::mappingView).toList(),
        d.createdAt(),
        d.updatedAt());
  }

  private static MappingView mappingView(DomainMapping m) {
    return new MappingView(m.basePath(), m.apiId(), m.stage(), m.createdAt());
  }

  private static String normalize(String name) {
    return DomainNames.normalize(name);
  }

  private static UUID uuid(String value) {
    try {
      UUID id = UUID.fromString(value);
      return id.toString().equalsIgnoreCase(value) ? id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static ApiFailure notFound(String name) {
    return ApiFailure.notFound("Domain " + name);
  }

  /** 32 random bytes, base64url: what the tenant publishes. */
  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
