package dev.turnpike.controlplane.domain.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.DOMAINS;
import static dev.turnpike.db.Tables.DOMAIN_MAPPINGS;

import dev.turnpike.contracts.domain.TlsSecurityPolicy;
import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.domain.CustomDomain;
import dev.turnpike.controlplane.domain.DomainMapping;
import dev.turnpike.controlplane.domain.DomainStore;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.db.tables.records.DomainMappingsRecord;
import dev.turnpike.db.tables.records.DomainsRecord;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * {@link DomainStore} on the domains and domain_mappings tables. Every query names the tenant, and
 * row-level security holds it too; only the primary key on the name reaches across tenants.
 */
public final class JooqDomainStore implements DomainStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqDomainStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public void insert(CustomDomain d) {
    try {
      tx.insertInto(DOMAINS)
          .set(DOMAINS.NAME, d.name())
          .set(DOMAINS.TENANT_ID, tenantId)
          .set(DOMAINS.VERIFICATION_TOKEN, d.verificationToken())
          .set(DOMAINS.SECURITY_POLICY, d.securityPolicy().name())
          .set(DOMAINS.CREATED_AT, time(d.createdAt()))
          .set(DOMAINS.UPDATED_AT, time(d.updatedAt()))
          .execute();
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        // Another tenant's row is not visible here, and says no more than this.
        throw ApiFailure.conflict("Domain " + d.name() + " is not available");
      }
      throw e;
    }
  }

  @Override
  public Optional<CustomDomain> find(String name) {
    return tx.selectFrom(DOMAINS)
        .where(DOMAINS.TENANT_ID.eq(tenantId), DOMAINS.NAME.eq(name))
        .fetchOptional(JooqDomainStore::domain);
  }

  @Override
  public Optional<CustomDomain> lock(String name) {
    return tx.selectFrom(DOMAINS)
        .where(DOMAINS.TENANT_ID.eq(tenantId), DOMAINS.NAME.eq(name))
        .forUpdate()
        .fetchOptional(JooqDomainStore::domain);
  }

  @Override
  public List<CustomDomain> list() {
    return tx.selectFrom(DOMAINS)
        .where(DOMAINS.TENANT_ID.eq(tenantId))
        .orderBy(DOMAINS.NAME)
        .fetch(JooqDomainStore::domain);
  }

  @Override
  public int count() {
    return tx.fetchCount(DOMAINS, DOMAINS.TENANT_ID.eq(tenantId));
  }

  @Override
  public void update(CustomDomain d) {
    tx.update(DOMAINS)
        .set(DOMAINS.VERIFIED_AT, time(d.verifiedAt()))
        .set(DOMAINS.CERTIFICATE_CHAIN_PEM, d.certificateChainPem())
        .set(DOMAINS.SEALED_PRIVATE_KEY, d.sealedPrivateKey())
        .set(DOMAINS.CERTIFICATE_NOT_AFTER, time(d.certificateNotAfter()))
        .set(DOMAINS.SECURITY_POLICY, d.securityPolicy().name())
        .set(DOMAINS.TRUSTSTORE_PEM, d.truststorePem())
        .set(DOMAINS.CRL_PEM, d.crlPem())
        .set(DOMAINS.UPDATED_AT, time(d.updatedAt()))
        .where(DOMAINS.TENANT_ID.eq(tenantId), DOMAINS.NAME.eq(d.name()))
        .execute();
  }

  @Override
  public void delete(String name) {
    tx.deleteFrom(DOMAINS).where(DOMAINS.TENANT_ID.eq(tenantId), DOMAINS.NAME.eq(name)).execute();
  }

  @Override
  public List<DomainMapping> mappings(String name) {
    return tx.selectFrom(DOMAIN_MAPPINGS)
        .where(DOMAIN_MAPPINGS.TENANT_ID.eq(tenantId), DOMAIN_MAPPINGS.DOMAIN_NAME.eq(name))
        .orderBy(DOMAIN_MAPPINGS.BASE_PATH)
        .fetch(JooqDomainStore::mapping);
  }

  @Override
  public void insertMapping(DomainMapping m) {
    try {
      tx.insertInto(DOMAIN_MAPPINGS)
          .set(DOMAIN_MAPPINGS.TENANT_ID, tenantId)
          .set(DOMAIN_MAPPINGS.DOMAIN_NAME, m.domainName())
          .set(DOMAIN_MAPPINGS.BASE_PATH, m.basePath())
          .set(DOMAIN_MAPPINGS.API_ID, m.apiId())
          .set(DOMAIN_MAPPINGS.STAGE, m.stage())
          .set(DOMAIN_MAPPINGS.CREATED_AT, time(m.createdAt()))
          .execute();
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw ApiFailure.conflict(
            "Domain " + m.domainName() + " already maps base path '" + m.basePath() + "'");
      }
      if (SqlErrors.isForeignKeyViolation(e)) {
        throw ApiFailure.invalid("/apiId", "names no API of this tenant");
      }
      throw e;
    }
  }

  @Override
  public boolean deleteMapping(String name, String basePath) {
    return tx.deleteFrom(DOMAIN_MAPPINGS)
            .where(
                DOMAIN_MAPPINGS.TENANT_ID.eq(tenantId),
                DOMAIN_MAPPINGS.DOMAIN_NAME.eq(name),
                DOMAIN_MAPPINGS.BASE_PATH.eq(basePath))
            .execute()
        > 0;
  }

  @Override
  public List<String> mappedTo(UUID apiId) {
    return tx.selectDistinct(DOMAIN_MAPPINGS.DOMAIN_NAME)
        .from(DOMAIN_MAPPINGS)
        .where(DOMAIN_MAPPINGS.TENANT_ID.eq(tenantId), DOMAIN_MAPPINGS.API_ID.eq(apiId))
        .orderBy(DOMAIN_MAPPINGS.DOMAIN_NAME)
        .fetch(DOMAIN_MAPPINGS.DOMAIN_NAME);
  }

  private static CustomDomain domain(DomainsRecord r) {
    return new CustomDomain(
        r.getName(),
        r.getVerificationToken(),
        instant(r.getVerifiedAt()),
        r.getCertificateChainPem(),
        r.getSealedPrivateKey(),
        instant(r.getCertificateNotAfter()),
        TlsSecurityPolicy.valueOf(r.getSecurityPolicy()),
        r.getTruststorePem(),
        r.getCrlPem(),
        instant(r.getCreatedAt()),
        instant(r.getUpdatedAt()));
  }

  private static DomainMapping mapping(DomainMappingsRecord r) {
    return new DomainMapping(
        r.getDomainName(), r.getBasePath(), r.getApiId(), r.getStage(), instant(r.getCreatedAt()));
  }
}
