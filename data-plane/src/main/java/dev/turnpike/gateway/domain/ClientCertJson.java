package dev.turnpike.gateway.domain;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The {@code clientCert} object of API Gateway's events: in a REST event's and a REQUEST
 * authorizer's {@code requestContext.identity}, in an HTTP API event's {@code
 * requestContext.authentication}.
 */
public final class ClientCertJson {
  private ClientCertJson() {}

  /** Writes {@code "clientCert": {...}}; nothing when there is no certificate. */
  public static void write(JsonGenerator json, ClientCertificate certificate) throws IOException {
    if (certificate == null) {
      return;
    }
    json.writeObjectFieldStart("clientCert");
    json.writeStringField("clientCertPem", certificate.clientCertPem());
    json.writeStringField("subjectDN", certificate.subjectDN());
    json.writeStringField("issuerDN", certificate.issuerDN());
    json.writeStringField("serialNumber", certificate.serialNumber());
    json.writeObjectFieldStart("validity");
    json.writeStringField("notBefore", certificate.notBefore());
    json.writeStringField("notAfter", certificate.notAfter());
    json.writeEndObject();
    json.writeEndObject();
  }
}
