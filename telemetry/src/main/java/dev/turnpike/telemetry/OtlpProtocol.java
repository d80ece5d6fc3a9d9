package dev.turnpike.telemetry;

/**
 * How spans travel to the collector, named as OpenTelemetry's {@code OTEL_EXPORTER_OTLP_PROTOCOL}.
 */
public enum OtlpProtocol {
  /** Protobuf over HTTP/1.1 or HTTP/2, to the collector's traces URL (port 4318 by convention). */
  HTTP_PROTOBUF("http/protobuf"),
  /** gRPC over HTTP/2, to the collector's address (port 4317 by convention). */
  GRPC("grpc");

  private final String setting;

  OtlpProtocol(String setting) {
    this.setting = setting;
  }

  public String setting() {
    return setting;
  }

  /** The protocol a setting names, or null for none. */
  static OtlpProtocol named(String value) {
    for (OtlpProtocol protocol : values()) {
      if (protocol.setting.equalsIgnoreCase(value)) {
        return protocol;
      }
    }
    return null;
  }
}
