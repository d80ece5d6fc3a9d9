package dev.turnpike.telemetry;

import dev.turnpike.telemetry.impl.VertxGrpcSenderProvider;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;

/**
 * The OpenTelemetry SDK as every Turnpike service sets it up: a resource naming the service and the
 * instance, spans batched from the SDK's own thread through a bounded queue (a full queue drops
 * spans rather than slowing the service's work), and the OTLP exporter the operator chose.
 */
public final class TracerProviders {
  public static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  public static final AttributeKey<String> SERVICE_INSTANCE_ID =
      AttributeKey.stringKey("service.instance.id");

  /** Spans waiting for export; past it new spans are dropped (and counted by the SDK). */
  static final int MAX_QUEUED_SPANS = 8192;

  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);

  private TracerProviders() {}

  /**
   * A provider exporting to {@code export}'s collector.
   *
   * @param serviceName {@code service.name}, e.g. {@code turnpike-control-plane}
   * @param instanceId {@code service.instance.id}: the node, or a per-process id
   * @param sampler which new spans are recorded
   * @throws IllegalArgumentException when {@code export} names no collector
   */
  public static SdkTracerProvider start(
      TraceExport export, String serviceName, String instanceId, Sampler sampler) {
    if (!export.enabled()) {
      throw new IllegalArgumentException("tracing is off: no collector to export to");
    }
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(SERVICE_NAME, serviceName, SERVICE_INSTANCE_ID, instanceId)));
    return SdkTracerProvider.builder()
        .setResource(resource)
        .setSampler(sampler)
        .addSpanProcessor(
            BatchSpanProcessor.builder(exporter(export))
                .setScheduleDelay(export.exportDelay())
                .setMaxQueueSize(MAX_QUEUED_SPANS)
                .build())
        .build();
  }

  static SpanExporter exporter(TraceExport export) {
    return switch (export.protocol()) {
      case HTTP_PROTOBUF ->
          OtlpHttpSpanExporter.builder()
              .setEndpoint(export.endpoint())
              .setTimeout(EXPORT_TIMEOUT)
              .build();
      case GRPC ->
          OtlpGrpcSpanExporter.builder()
              .setEndpoint(export.endpoint())
              .setTimeout(EXPORT_TIMEOUT)
              // The SDK finds a gRPC sender by service loading, and the only ones it ships
              // need OkHttp or grpc-java; this one is handed over instead.
              .setComponentLoader(withGrpcSender())
              .build();
    };
  }

  private static ComponentLoader withGrpcSender() {
    ComponentLoader defaults =
        ComponentLoader.forClassLoader(TracerProviders.class.getClassLoader());
    return new ComponentLoader() {
      @Override
      public <T> Iterable<T> load(Class<T> type) {
        if (type == GrpcSenderProvider.class) {
          return List.of(type.cast(new VertxGrpcSenderProvider()));
        }
        return defaults.load(type);
      }
    };
  }
}
