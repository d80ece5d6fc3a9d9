package dev.turnpike.controlplane.memory;

import dev.turnpike.contracts.Topics;
import dev.turnpike.controlplane.deployment.Delivery;
import dev.turnpike.controlplane.deployment.Deployment;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.deployment.FrozenApi;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.StageClientCertificate;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.problem.ApiFailure;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@link DeploymentStore} on the in-memory database; deliveries are read from the outbox rows, as
 * the real store reads them.
 */
final class MemoryDeploymentStore implements DeploymentStore {
  static final String STAGES = "stages";
  static final String DEPLOYMENTS = "deployments";
  static final String CLIENT_CERTIFICATES = "stage_client_certificates";

  /** A deployment row: the deployment without its delivery, and its frozen definition. */
  record DeploymentRow(Deployment deployment, String definition) {}

  private final UUID tenantId;
  private final MemoryDb.Table<Stage> stages;
  private final MemoryDb.Table<DeploymentRow> deployments;
  private final MemoryDb.Table<MemoryOutbox.Entry> outbox;
  private final MemoryDb.Table<StageClientCertificate> clientCertificates;

  MemoryDeploymentStore(MemoryDb.Tx tx, UUID tenantId) {
    this.tenantId = tenantId;
    this.stages = tx.table(STAGES, tenantId, Stage.class);
    this.deployments = tx.table(DEPLOYMENTS, tenantId, DeploymentRow.class);
    this.outbox = tx.table(MemoryOutbox.TABLE, tenantId, MemoryOutbox.Entry.class);
    this.clientCertificates = tx.table(CLIENT_CERTIFICATES, tenantId, StageClientCertificate.class);
  }

  @Override
  public void insertStage(Stage stage) {
    if (stages.exists(s -> s.apiId().equals(stage.apiId()) && s.name().equals(stage.name()))) {
      throw ApiFailure.conflict("The API already has a stage named '" + stage.name() + "'");
    }
    stages.put(stage.id(), stage);
  }

  @Override
  public Optional<Stage> findStage(UUID apiId, UUID stageId) {
    return stages.get(stageId).filter(s -> s.apiId().equals(apiId));
  }

  @Override
  public Optional<Stage> lockStage(UUID apiId, UUID stageId) {
    return findStage(apiId, stageId);
  }

  @Override
  public List<Stage> listStages(UUID apiId) {
    return stages.where(s -> s.apiId().equals(apiId), Comparator.comparing(Stage::name));
  }

  @Override
  public void updateStage(Stage stage) {
    Stage old =
        stages.get(stage.id()).orElseThrow(() -> ApiFailure.notFound("Stage " + stage.id()));
    stages.put(
        stage.id(),
        stage.toBuilder()
            .id(old.id())
            .apiId(old.apiId())
            .name(old.name())
            .createdAt(old.createdAt())
            .build());
  }

  @Override
  public void deleteStage(UUID stageId) {
    stages.remove(stageId);
    clientCertificates.remove(stageId);
  }

  @Override
  public Optional<StageClientCertificate> findClientCertificate(UUID stageId) {
    return clientCertificates.get(stageId);
  }

  @Override
  public void putClientCertificate(StageClientCertificate certificate) {
    clientCertificates.put(certificate.stageId(), certificate);
  }

  @Override
  public void deleteClientCertificate(UUID stageId) {
    clientCertificates.remove(stageId);
  }

  @Override
  public void insertDeployment(Deployment deployment, String canonicalDefinition) {
    deployments.put(deployment.id(), new DeploymentRow(deployment, canonicalDefinition));
  }

  @Override
  public Optional<Deployment> findDeployment(UUID apiId, UUID deploymentId) {
    return deployments
        .get(deploymentId)
        .map(DeploymentRow::deployment)
        .filter(d -> d.apiId().equals(apiId))
        .map(this::withDelivery);
  }

  @Override
  public Optional<FrozenApi> definition(UUID deploymentId) {
    return deployments.get(deploymentId).map(r -> Json.read(r.definition(), FrozenApi.class));
  }

  @Override
  public List<Deployment> listDeployments(UUID apiId) {
    return deployments.all().stream()
        .map(DeploymentRow::deployment)
        .filter(d -> d.apiId().equals(apiId))
        .sorted(
            Comparator.comparing(Deployment::createdAt).reversed().thenComparing(Deployment::id))
        .map(this::withDelivery)
        .toList();
  }

  @Override
  public Delivery stageDelivery(Stage stage) {
    if (stage.deploymentId() == null) {
      return null;
    }
    String key = Topics.deploymentKey(tenantId.toString(), stage.apiId().toString(), stage.name());
    return outbox
        .where(
            e ->
                stage.deploymentId().equals(e.deploymentId())
                    && e.topic().equals(Topics.DEPLOYMENTS)
                    && e.key().equals(key),
            Comparator.comparingLong(MemoryOutbox.Entry::id).reversed())
        .stream()
        .findFirst()
        .map(e -> new Delivery.Publication(e.sent(), e.failure()).delivery())
        .orElse(Delivery.PUBLISHED);
  }

  /** The deployment's delivery from the latest publication of it on each stage. */
  private Deployment withDelivery(Deployment d) {
    Map<String, MemoryOutbox.Entry> latest =
        outbox.where(e -> d.id().equals(e.deploymentId())).stream()
            .collect(
                Collectors.toMap(
                    MemoryOutbox.Entry::key, e -> e, (a, b) -> a.id() > b.id() ? a : b));
    Delivery delivery =
        Delivery.of(
            latest.values().stream()
                .map(e -> new Delivery.Publication(e.sent(), e.failure()))
                .toList());
    return new Deployment(
        d.id(), d.apiId(), d.description(), d.hash(), d.createdBy(), d.createdAt(), delivery);
  }
}
