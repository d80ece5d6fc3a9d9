package dev.turnpike.controlplane.deployment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A deployment with its frozen definition and the stages that serve it now. */
public record DeploymentDetail(
    UUID id,
    UUID apiId,
    String description,
    String hash,
    UUID createdBy,
    Instant createdAt,
    List<String> stages,
    FrozenApi definition) {}
