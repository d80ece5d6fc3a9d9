package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.route;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.domain.BasePathMapping;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import dev.turnpike.gateway.domain.CertificateAuthority;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Custom domains for gateway tests: tenant "acme" (of {@link Fixtures}) owns them; tenant "globex"
 * has an API "secrets" that acme's domains must never reach.
 */
final class DomainFixtures {
  static final CertificateAuthority SERVER_CA = CertificateAuthority.create("Test Server CA");

  /** Every base path a test domain maps: "v1" and the empty one, both to acme's pets/prod. */
  static final List<BasePathMapping> PETS =
      List.of(
          new BasePathMapping("v1", Fixtures.API_ID, "pets", "prod"),
          new BasePathMapping("", Fixtures.API_ID, "pets", "prod"));

  final GatewayRig rig;
  final Map<String, DomainRecord> records = new HashMap<>();

  DomainFixtures(GatewayRig rig) {
    this.rig = rig;
  }

  /** acme's pets/prod with GET /pets on {@code integration}, and globex's secrets/prod. */
  static List<DeploymentSnapshot> deployments(IntegrationConfig integration) {
    return deployments(List.of(route("GET", "/pets", false, integration)));
  }

  /** acme's pets/prod with {@code routes}, and globex's secrets/prod. */
  static List<DeploymentSnapshot> deployments(List<RouteConfig> routes) {
    return List.of(
        deployment("prod", routes),
        DeploymentSnapshot.builder()
            .tenantId(Fixtures.OTHER_TENANT_ID)
            .tenantSlug("globex")
            .apiId("api-secrets")
            .apiSlug("secrets")
            .stage("prod")
            .deploymentId("dep-secrets")
            .hash("0".repeat(64))
            .deployedAt(Instant.now())
            .routes(List.of(route("GET", "/pets", false, mock(200, "{\"globex\":\"secret\"}"))))
            .build());
  }

  DomainRecord record(
      String name,
      CertificateAuthority.Issued certificate,
      TlsSecurityPolicy policy,
      String truststorePem,
      List<BasePathMapping> mappings) {
    return record(name, certificate, policy, truststorePem, null, mappings);
  }

  DomainRecord record(
      String name,
      CertificateAuthority.Issued certificate,
      TlsSecurityPolicy policy,
      String truststorePem,
      String crlPem,
      List<BasePathMapping> mappings) {
    return new DomainRecord(
        1,
        name,
        Fixtures.TENANT_ID,
        "acme",
        certificate.certificatePem() + SERVER_CA.certificatePem(),
        rig.secrets.seal(certificate.keyPem(), name),
        policy,
        truststorePem,
        crlPem,
        mappings);
  }

  /** Publishes {@code record} as the feed would, replacing the name's previous record. */
  void put(DomainRecord record) {
    records.put(record.domainName(), record);
    rig.applyDomains(Map.copyOf(records), Set.of(record.domainName()));
  }

  /** A domain with its own new certificate, TLS 1.2+, no client certificates, acme's pets. */
  CertificateAuthority.Issued serve(String name) {
    CertificateAuthority.Issued certificate = SERVER_CA.server(name);
    put(record(name, certificate, TlsSecurityPolicy.TLS_1_2, null, PETS));
    return certificate;
  }

  /** The tombstone of {@code name}. */
  void remove(String name) {
    records.remove(name);
    rig.applyDomains(Map.copyOf(records), Set.of(name));
  }
}
