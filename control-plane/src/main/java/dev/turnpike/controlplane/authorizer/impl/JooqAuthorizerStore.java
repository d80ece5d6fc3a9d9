package dev.turnpike.controlplane.authorizer.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.AUTHORIZERS;
import static dev.turnpike.db.Tables.ROUTES;

import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.JwtConfiguration;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.authorizer.AuthorizerSpec;
import dev.turnpike.controlplane.authorizer.AuthorizerStore;
import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.db.TenantApis;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.db.tables.records.AuthorizersRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** {@link AuthorizerStore} on the authorizers table. */
public final class JooqAuthorizerStore implements AuthorizerStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqAuthorizerStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public boolean apiExists(UUID apiId) {
    return TenantApis.exists(tx, tenantId, apiId);
  }

  @Override
  public boolean lockApi(UUID apiId) {
    return TenantApis.lock(tx, tenantId, apiId);
  }

  @Override
  public Optional<Authorizer> find(UUID apiId, String name) {
    return tx.selectFrom(AUTHORIZERS)
        .where(AUTHORIZERS.TENANT_ID.eq(tenantId))
        .and(AUTHORIZERS.API_ID.eq(apiId))
        .and(AUTHORIZERS.NAME.eq(name))
        .fetchOptional(JooqAuthorizerStore::authorizer);
  }

  @Override
  public Optional<Authorizer> findById(UUID apiId, UUID authorizerId) {
    return tx.selectFrom(AUTHORIZERS)
        .where(AUTHORIZERS.TENANT_ID.eq(tenantId))
        .and(AUTHORIZERS.API_ID.eq(apiId))
        .and(AUTHORIZERS.ID.eq(authorizerId))
        .fetchOptional(JooqAuthorizerStore::authorizer);
  }

  @Override
  public List<Authorizer> list(UUID apiId) {
    return tx.selectFrom(AUTHORIZERS)
        .where(AUTHORIZERS.TENANT_ID.eq(tenantId).and(AUTHORIZERS.API_ID.eq(apiId)))
        .orderBy(AUTHORIZERS.NAME)
        .fetch(JooqAuthorizerStore::authorizer);
  }

  @Override
  public int count(UUID apiId) {
    return tx.fetchCount(
        AUTHORIZERS, AUTHORIZERS.TENANT_ID.eq(tenantId).and(AUTHORIZERS.API_ID.eq(apiId)));
  }

  @Override
  public void insert(Authorizer authorizer) {
    AuthorizersRecord r = tx.newRecord(AUTHORIZERS);
    r.setId(authorizer.id());
    r.setTenantId(tenantId);
    r.setApiId(authorizer.apiId());
    r.setName(authorizer.name());
    r.setCreatedAt(time(authorizer.createdAt()));
    fill(r, authorizer);
    try {
      r.insert();
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw ApiFailure.conflict(
            "Authorizer " + authorizer.name() + " was created at the same moment; try again");
      }
      throw e;
    }
  }

  @Override
  public void update(Authorizer authorizer) {
    AuthorizersRecord r =
        tx.selectFrom(AUTHORIZERS)
            .where(AUTHORIZERS.TENANT_ID.eq(tenantId).and(AUTHORIZERS.ID.eq(authorizer.id())))
            .fetchOne();
    if (r == null) {
      throw ApiFailure.notFound("Authorizer " + authorizer.name());
    }
    fill(r, authorizer);
    r.update();
  }

  private static void fill(AuthorizersRecord r, Authorizer authorizer) {
    AuthorizerSpec s = authorizer.spec();
    r.setType(s.type());
    r.setIdentitySources(s.identitySources().toArray(String[]::new));
    r.setJwtIssuer(s.jwt() == null ? null : s.jwt().issuer());
    r.setJwtAudience(s.jwt() == null ? new String[0] : s.jwt().audience().toArray(String[]::new));
    r.setFunctionName(s.function());
    r.setEndpointUrl(s.endpointUrl());
    // A jwt authorizer has no timeout or cache: the columns keep their defaults for it.
    r.setTimeoutMs(
        s.timeoutMillis() == null ? AuthorizerConfig.DEFAULT_TIMEOUT_MILLIS : s.timeoutMillis());
    r.setResultTtlSeconds(s.resultTtlSeconds() == null ? 0 : s.resultTtlSeconds());
    r.setIdentityValidationExpression(s.identityValidationExpression());
    r.setPayloadFormatVersion(s.payloadFormatVersion());
    r.setSimpleResponses(Boolean.TRUE.equals(s.simpleResponses()));
    r.setUpdatedAt(time(authorizer.updatedAt()));
  }

  @Override
  public void delete(UUID authorizerId) {
    tx.deleteFrom(AUTHORIZERS)
        .where(AUTHORIZERS.TENANT_ID.eq(tenantId).and(AUTHORIZERS.ID.eq(authorizerId)))
        .execute();
  }

  @Override
  public List<String> routesUsing(UUID authorizerId) {
    return tx.select(ROUTES.METHOD, ROUTES.RESOURCE_PATH)
        .from(ROUTES)
        .where(ROUTES.TENANT_ID.eq(tenantId).and(ROUTES.AUTHORIZER_ID.eq(authorizerId)))
        .orderBy(ROUTES.RESOURCE_PATH, ROUTES.METHOD)
        .fetch(r -> r.value1() + " " + r.value2());
  }

  private static Authorizer authorizer(AuthorizersRecord r) {
    boolean jwt = AuthorizerSpec.JWT.equals(r.getType());
    AuthorizerSpec spec =
        new AuthorizerSpec(
            r.getType(),
            Arrays.asList(r.getIdentitySources()),
            jwt ? new JwtConfiguration(r.getJwtIssuer(), Arrays.asList(r.getJwtAudience())) : null,
            r.getFunctionName(),
            r.getEndpointUrl(),
            jwt ? null : r.getTimeoutMs(),
            jwt ? null : r.getResultTtlSeconds(),
            r.getIdentityValidationExpression(),
            r.getPayloadFormatVersion(),
            r.getSimpleResponses());
    return new Authorizer(
        r.getId(),
        r.getApiId(),
        r.getName(),
        spec,
        instant(r.getCreatedAt()),
        instant(r.getUpdatedAt()));
  }
}
