package dev.turnpike.gateway.template;

import dev.turnpike.contracts.config.TemplateRules;
import dev.turnpike.gateway.integration.BinaryMediaTypes;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.mapping.MappingTemplate;
import dev.turnpike.mapping.Rendered;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shapes the method response from an integration response and what the integration answered: the
 * response's status, its parameter mappings as headers, its template for the client's type ({@code
 * Accept}'s first type with a template, else {@code application/json}'s) rendered with the backend
 * body as {@code $input}, and the template's {@code $context.responseOverride.status} and {@code
 * .header.X}. Without a template the body passes through with its Content-Type. Only mapped headers
 * reach the client, as API Gateway's non-proxy integrations pass none of the backend's by
 * themselves.
 */
public final class ResponseMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseMapping.class);

  private final TemplateRenderer renderer;
  private final BinaryMediaTypes binaryTypes;

  public ResponseMapping(TemplateRenderer renderer, BinaryMediaTypes binaryTypes) {
    this.renderer = renderer;
    this.binaryTypes = binaryTypes;
  }

  public Future<MethodResponse> map(
      IntegrationResponses.Chosen chosen, BackendReply reply, IntegrationCall call) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    String backendType = reply.headers().get("content-type");
    Buffer body;
    try {
      body =
          ContentConversion.apply(
              chosen.contentHandling(),
              binaryTypes,
              backendType,
              reply.body(),
              GatewayResponseType.API_CONFIGURATION_ERROR);
    } catch (GatewayFailure failure) {
      return Future.failedFuture(failure);
    }
    chosen
        .parameters()
        .apply(
            reply.headers()::get,
            reply.body()::getBytes,
            (name, value) -> HeaderValues.set(headers, name, value));
    String type = templateType(chosen.templates(), call.request().getHeader("accept"));
    if (type == null) {
      if (backendType != null && !headers.contains("content-type")) {
        headers.set("Content-Type", backendType);
      }
      return Future.succeededFuture(new MethodResponse(chosen.statusCode(), headers, body));
    }
    MappingTemplate template = chosen.templates().get(type);
    String input = body.toString();
    return renderer
        .render(template, TemplateInputs.of(call, input))
        .compose(
            rendered ->
                switch (rendered) {
                  case Rendered.Text text -> {
                    int status =
                        text.statusOverride() != null
                                && text.statusOverride() >= 100
                                && text.statusOverride() <= 599
                            ? text.statusOverride()
                            : chosen.statusCode();
                    if (!headers.contains("content-type")) {
                      headers.set("Content-Type", type);
                    }
                    text.headerOverrides()
                        .forEach((name, value) -> HeaderValues.set(headers, name, value));
                    yield Future.succeededFuture(
                        new MethodResponse(status, headers, Buffer.buffer(text.text())));
                  }
                  case Rendered.Failed failed -> Future.failedFuture(failed(call, failed));
                });
  }

  /** The one log line for a template that could not finish; the client sees a plain 500. */
  static GatewayFailure failed(IntegrationCall call, Rendered.Failed failed) {
    call.log()
        .run(
            () ->
                LOG.warn(
                    "mapping template of {} failed, request {}: {}",
                    call.site().resourcePath(),
                    call.requestId(),
                    failed.reason()));
    return new GatewayFailure(GatewayResponseType.API_CONFIGURATION_ERROR);
  }

  /** The response template's type for a client's Accept ({@link TemplateRules}' rule). */
  static String templateType(Map<String, MappingTemplate> templates, String accept) {
    return TemplateRules.responseTemplate(templates.keySet(), accept);
  }
}
