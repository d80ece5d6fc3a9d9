package dev.turnpike.telemetry.impl;

import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;

/** Hands the OTLP/gRPC exporter a {@link VertxGrpcSender}. */
public final class VertxGrpcSenderProvider implements GrpcSenderProvider {
  @Override
  public GrpcSender createSender(GrpcSenderConfig config) {
    return new VertxGrpcSender(config);
  }
}
