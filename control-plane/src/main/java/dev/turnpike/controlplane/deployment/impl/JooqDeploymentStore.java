package dev.turnpike.controlplane.deployment.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.DEPLOYMENTS;
import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.db.Tables.STAGES;
import static dev.turnpike.db.Tables.STAGE_CLIENT_CERTIFICATES;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageExecutionLogging;
import dev.turnpike.contracts.config.StageTracing;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.controlplane.db.Jsonb;
import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.deployment.Delivery;
import dev.turnpike.controlplane.deployment.Deployment;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.deployment.FrozenApi;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.StageCanary;
import dev.turnpike.controlplane.deployment.StageClientCertificate;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.db.tables.records.DeploymentsRecord;
import dev.turnpike.db.tables.records.StagesRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record6;
import org.jooq.exception.DataAccessException;

/** {@link DeploymentStore} on the stages and deployments tables. */
public final class JooqDeploymentStore implements DeploymentStore {
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, ThrottleLimit>> THROTTLES =
      new TypeReference<>() {};

  private final DSLContext tx;
  private final UUID tenantId;

  public JooqDeploymentStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public void insertStage(Stage stage) {
    StagesRecord r = tx.newRecord(STAGES);
    r.setId(stage.id());
    r.setTenantId(tenantId);
    r.setApiId(stage.apiId());
    r.setName(stage.name());
    r.setCreatedAt(time(stage.createdAt()));
    fill(r, stage);
    try {
      r.insert();
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw ApiFailure.conflict("The API already has a stage named '" + stage.name() + "'");
      }
      throw e;
    }
  }

  private static void fill(StagesRecord r, Stage stage) {
    r.setDescription(stage.description());
    r.setVariables(Jsonb.of(stage.variables()));
    r.setThrottleRate(stage.throttle() == null ? null : stage.throttle().rateLimit());
    r.setThrottleBurst(stage.throttle() == null ? null : stage.throttle().burstLimit());
    r.setMethodThrottles(Jsonb.of(stage.methodThrottles()));
    r.setAccessLogFormat(
        stage.accessLogFields().isEmpty() ? null : String.join(",", stage.accessLogFields()));
    r.setSourceIpPolicy(Jsonb.of(stage.sourceIpPolicy()));
    r.setDeploymentId(stage.deploymentId());
    r.setUpdatedAt(time(stage.updatedAt()));
    StageCacheConfig cache = stage.cache();
    r.setCacheSettings(cache.equals(StageCacheConfig.OFF) ? null : Jsonb.of(cache));
    r.setCacheFlushGeneration(cache.flushGeneration());
    StageCanary canary = stage.canary();
    r.setCanarySettings(canary == null ? null : Jsonb.of(canary));
    r.setCanaryDeploymentId(canary == null ? null : canary.deploymentId());
    r.setTracingSettings(
        stage.tracing().equals(StageTracing.OFF) ? null : Jsonb.of(stage.tracing()));
    r.setCustomAccessLogFormat(stage.accessLogFormat());
    StageExecutionLogging logging = stage.executionLogging();
    r.setExecutionLoggingLevel(logging.isOn() ? logging.loggingLevel().name() : null);
    r.setExecutionDataTraceEnabled(logging.dataTraceEnabled());
  }

  @Override
  public Optional<Stage> findStage(UUID apiId, UUID stageId) {
    return tx.selectFrom(STAGES)
        .where(STAGES.TENANT_ID.eq(tenantId), STAGES.API_ID.eq(apiId), STAGES.ID.eq(stageId))
        .fetchOptional(JooqDeploymentStore::stage);
  }

  @Override
  public Optional<Stage> lockStage(UUID apiId, UUID stageId) {
    return tx.selectFrom(STAGES)
        .where(STAGES.TENANT_ID.eq(tenantId), STAGES.API_ID.eq(apiId), STAGES.ID.eq(stageId))
        .forUpdate()
        .fetchOptional(JooqDeploymentStore::stage);
  }

  @Override
  public List<Stage> listStages(UUID apiId) {
    return tx.selectFrom(STAGES)
        .where(STAGES.TENANT_ID.eq(tenantId), STAGES.API_ID.eq(apiId))
        .orderBy(STAGES.NAME)
        .fetch(JooqDeploymentStore::stage);
  }

  @Override
  public void updateStage(Stage stage) {
    StagesRecord r =
        tx.selectFrom(STAGES)
            .where(STAGES.TENANT_ID.eq(tenantId), STAGES.ID.eq(stage.id()))
            .fetchOne();
    if (r == null) {
      throw ApiFailure.notFound("Stage " + stage.id());
    }
    fill(r, stage);
    r.update();
  }

  @Override
  public void deleteStage(UUID stageId) {
    tx.deleteFrom(STAGES).where(STAGES.TENANT_ID.eq(tenantId), STAGES.ID.eq(stageId)).execute();
  }

  @Override
  public Optional<StageClientCertificate> findClientCertificate(UUID stageId) {
    return tx.selectFrom(STAGE_CLIENT_CERTIFICATES)
        .where(
            STAGE_CLIENT_CERTIFICATES.TENANT_ID.eq(tenantId),
            STAGE_CLIENT_CERTIFICATES.STAGE_ID.eq(stageId))
        .fetchOptional(
            r ->
                new StageClientCertificate(
                    r.getStageId(),
                    r.getCertificatePem(),
                    r.getPrivateKeySealed(),
                    r.getSubject(),
                    r.getIssuer(),
                    instant(r.getNotAfter()),
                    instant(r.getUpdatedAt())));
  }

  @Override
  public void putClientCertificate(StageClientCertificate certificate) {
    tx.insertInto(STAGE_CLIENT_CERTIFICATES)
        .set(STAGE_CLIENT_CERTIFICATES.TENANT_ID, tenantId)
        .set(STAGE_CLIENT_CERTIFICATES.STAGE_ID, certificate.stageId())
        .set(STAGE_CLIENT_CERTIFICATES.CERTIFICATE_PEM, certificate.certificatePem())
        .set(STAGE_CLIENT_CERTIFICATES.PRIVATE_KEY_SEALED, certificate.sealedPrivateKey())
        .set(STAGE_CLIENT_CERTIFICATES.SUBJECT, certificate.subject())
        .set(STAGE_CLIENT_CERTIFICATES.ISSUER, certificate.issuer())
        .set(STAGE_CLIENT_CERTIFICATES.NOT_AFTER, time(certificate.notAfter()))
        .set(STAGE_CLIENT_CERTIFICATES.UPDATED_AT, time(certificate.updatedAt()))
        .onConflict(STAGE_CLIENT_CERTIFICATES.STAGE_ID)
        .doUpdate()
        .set(STAGE_CLIENT_CERTIFICATES.CERTIFICATE_PEM, certificate.certificatePem())
        .set(STAGE_CLIENT_CERTIFICATES.PRIVATE_KEY_SEALED, certificate.sealedPrivateKey())
        .set(STAGE_CLIENT_CERTIFICATES.SUBJECT, certificate.subject())
        .set(STAGE_CLIENT_CERTIFICATES.ISSUER, certificate.issuer())
        .set(STAGE_CLIENT_CERTIFICATES.NOT_AFTER, time(certificate.notAfter()))
        .set(STAGE_CLIENT_CERTIFICATES.UPDATED_AT, time(certificate.updatedAt()))
        .execute();
  }

  @Override
  public void deleteClientCertificate(UUID stageId) {
    tx.deleteFrom(STAGE_CLIENT_CERTIFICATES)
        .where(
            STAGE_CLIENT_CERTIFICATES.TENANT_ID.eq(tenantId),
            STAGE_CLIENT_CERTIFICATES.STAGE_ID.eq(stageId))
        .execute();
  }

  /** The stored settings, with the generation from its own column (a flush writes only that). */
  private static StageCacheConfig cache(StagesRecord r) {
    StageCacheConfig stored =
        r.getCacheSettings() == null
            ? StageCacheConfig.OFF
            : Jsonb.read(r.getCacheSettings(), StageCacheConfig.class);
    return new StageCacheConfig(
        stored.enabled(),
        stored.capacityBytes(),
        stored.ttlSeconds(),
        stored.methods(),
        stored.shareAcrossKeys(),
        stored.requireAuthorizationForCacheControl(),
        stored.unauthorizedCacheControlHeaderStrategy(),
        r.getCacheFlushGeneration());
  }

  static Stage stage(StagesRecord r) {
    return Stage.builder()
        .id(r.getId())
        .apiId(r.getApiId())
        .name(r.getName())
        .description(r.getDescription())
        .variables(Jsonb.read(r.getVariables(), STRINGS))
        .throttle(
            r.getThrottleRate() == null
                ? null
                : new ThrottleLimit(r.getThrottleRate(), r.getThrottleBurst()))
        .methodThrottles(Jsonb.read(r.getMethodThrottles(), THROTTLES))
        .accessLogFields(
            r.getAccessLogFormat() == null
                ? List.of()
                : Arrays.asList(r.getAccessLogFormat().split(",")))
        .sourceIpPolicy(Jsonb.read(r.getSourceIpPolicy(), SourceIpPolicy.class))
        .deploymentId(r.getDeploymentId())
        .createdAt(instant(r.getCreatedAt()))
        .updatedAt(instant(r.getUpdatedAt()))
        .cache(cache(r))
        .canary(
            r.getCanarySettings() == null
                ? null
                : Jsonb.read(r.getCanarySettings(), StageCanary.class))
        .tracing(
            r.getTracingSettings() == null
                ? null
                : Jsonb.read(r.getTracingSettings(), StageTracing.class))
        .accessLogFormat(r.getCustomAccessLogFormat())
        .executionLogging(
            new StageExecutionLogging(
                r.getExecutionLoggingLevel() == null
                    ? StageExecutionLogging.Level.OFF
                    : StageExecutionLogging.Level.valueOf(r.getExecutionLoggingLevel()),
                Boolean.TRUE.equals(r.getExecutionDataTraceEnabled())))
        .build();
  }

  @Override
  public void insertDeployment(Deployment deployment, String canonicalDefinition) {
    DeploymentsRecord r = tx.newRecord(DEPLOYMENTS);
    r.setId(deployment.id());
    r.setTenantId(tenantId);
    r.setApiId(deployment.apiId());
    r.setDescription(deployment.description());
    r.setSnapshot(JSONB.valueOf(canonicalDefinition));
    r.setSnapshotHash(deployment.hash());
    r.setCreatedBy(deployment.createdBy());
    r.setCreatedAt(time(deployment.createdAt()));
    r.insert();
  }

  @Override
  public Optional<Deployment> findDeployment(UUID apiId, UUID deploymentId) {
    return withDeliveries(
            tx.select(
                    DEPLOYMENTS.ID,
                    DEPLOYMENTS.API_ID,
                    DEPLOYMENTS.DESCRIPTION,
                    DEPLOYMENTS.SNAPSHOT_HASH,
                    DEPLOYMENTS.CREATED_BY,
                    DEPLOYMENTS.CREATED_AT)
                .from(DEPLOYMENTS)
                .where(
                    DEPLOYMENTS.TENANT_ID.eq(tenantId),
                    DEPLOYMENTS.API_ID.eq(apiId),
                    DEPLOYMENTS.ID.eq(deploymentId))
                .fetch())
        .stream()
        .findFirst();
  }

  @Override
  public Optional<FrozenApi> definition(UUID deploymentId) {
    return tx.select(DEPLOYMENTS.SNAPSHOT)
        .from(DEPLOYMENTS)
        .where(DEPLOYMENTS.TENANT_ID.eq(tenantId), DEPLOYMENTS.ID.eq(deploymentId))
        .fetchOptional(r -> Json.read(r.value1().data(), FrozenApi.class));
  }

  @Override
  public List<Deployment> listDeployments(UUID apiId) {
    return withDeliveries(
        tx.select(
                DEPLOYMENTS.ID,
                DEPLOYMENTS.API_ID,
                DEPLOYMENTS.DESCRIPTION,
                DEPLOYMENTS.SNAPSHOT_HASH,
                DEPLOYMENTS.CREATED_BY,
                DEPLOYMENTS.CREATED_AT)
            .from(DEPLOYMENTS)
            .where(DEPLOYMENTS.TENANT_ID.eq(tenantId), DEPLOYMENTS.API_ID.eq(apiId))
            .orderBy(DEPLOYMENTS.CREATED_AT.desc(), DEPLOYMENTS.ID)
            .fetch());
  }

  private List<Deployment> withDeliveries(
      List<? extends Record6<UUID, UUID, String, String, UUID, OffsetDateTime>> rows) {
    Map<UUID, Delivery> deliveries = deliveries(rows.stream().map(Record6::value1).toList());
    return rows.stream()
        .map(
            r ->
                new Deployment(
                    r.value1(),
                    r.value2(),
                    r.value3(),
                    r.value4(),
                    r.value5(),
                    instant(r.value6()),
                    deliveries.get(r.value1())))
        .toList();
  }

  /**
   * Each deployment's delivery, from the latest outbox row that carried it to each stage (rows are
   * keyed by stage).
   */
  private Map<UUID, Delivery> deliveries(List<UUID> deploymentIds) {
    Map<UUID, List<Delivery.Publication>> latest = new HashMap<>();
    deploymentIds.forEach(id -> latest.put(id, new ArrayList<>()));
    if (deploymentIds.isEmpty()) {
      return Map.of();
    }
    tx.select(OUTBOX.DEPLOYMENT_ID, OUTBOX.SENT_AT, OUTBOX.FAILURE)
        .distinctOn(OUTBOX.DEPLOYMENT_ID, OUTBOX.MESSAGE_KEY)
        .from(OUTBOX)
        .where(OUTBOX.TENANT_ID.eq(tenantId), OUTBOX.DEPLOYMENT_ID.in(deploymentIds))
        .orderBy(OUTBOX.DEPLOYMENT_ID, OUTBOX.MESSAGE_KEY, OUTBOX.ID.desc())
        .fetch()
        .forEach(
            r ->
                latest
                    .get(r.value1())
                    .add(new Delivery.Publication(r.value2() != null, r.value3())));
    Map<UUID, Delivery> deliveries = new HashMap<>();
    latest.forEach((id, publications) -> deliveries.put(id, Delivery.of(publications)));
    return deliveries;
  }

  @Override
  public Delivery stageDelivery(Stage stage) {
    if (stage.deploymentId() == null) {
      return null;
    }
    String key = Topics.deploymentKey(tenantId.toString(), stage.apiId().toString(), stage.name());
    return tx.select(OUTBOX.SENT_AT, OUTBOX.FAILURE)
        .from(OUTBOX)
        .where(
            OUTBOX.TENANT_ID.eq(tenantId),
            OUTBOX.DEPLOYMENT_ID.eq(stage.deploymentId()),
            OUTBOX.TOPIC.eq(Topics.DEPLOYMENTS),
            OUTBOX.MESSAGE_KEY.eq(key))
        .orderBy(OUTBOX.ID.desc())
        .limit(1)
        .fetchOptional(r -> new Delivery.Publication(r.value1() != null, r.value2()).delivery())
        .orElse(Delivery.PUBLISHED);
  }
}
