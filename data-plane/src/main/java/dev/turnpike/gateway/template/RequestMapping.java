package dev.turnpike.gateway.template;

import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.gateway.integration.BinaryMediaTypes;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.mapping.Rendered;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Makes the integration request's body from the method request's: its content handling first, then
 * the request template for its Content-Type (or the passthrough behaviour's verdict). Compiled once
 * per deployment.
 */
public final class RequestMapping {
  /**
   * The integration request's body.
   *
   * @param contentType its Content-Type: the template's for a rendered body, the client's (maybe
   *     null) for one passed through
   * @param override what the request template set in {@code $context.requestOverride} (none when
   *     the body passed through)
   */
  public record Body(Buffer body, String contentType, Rendered.RequestOverride override) {
    public Body(Buffer body, String contentType) {
      this(body, contentType, Rendered.RequestOverride.NONE);
    }
  }

  private final RequestTemplates templates;
  private final ContentHandling contentHandling;
  private final BinaryMediaTypes binaryTypes;
  private final TemplateRenderer renderer;

  public RequestMapping(
      RequestTemplates templates,
      ContentHandling contentHandling,
      BinaryMediaTypes binaryTypes,
      TemplateRenderer renderer) {
    this.templates = templates;
    this.contentHandling = contentHandling;
    this.binaryTypes = binaryTypes;
    this.renderer = renderer;
  }

  /** Whether every body passes through unchanged, so it may stream. */
  public boolean isIdentity() {
    return contentHandling == null && templates.passesEverything();
  }

  public Future<Body> map(IntegrationCall call, Buffer methodBody) {
    String contentType = call.request().getHeader("content-type");
    Buffer body;
    try {
      body =
          ContentConversion.apply(
              contentHandling,
              binaryTypes,
              contentType,
              methodBody,
              GatewayResponseType.BAD_REQUEST_BODY);
    } catch (GatewayFailure failure) {
      return Future.failedFuture(failure);
    }
    return switch (templates.select(contentType)) {
      case RequestTemplates.Unsupported unsupported ->
          Future.failedFuture(new GatewayFailure(GatewayResponseType.UNSUPPORTED_MEDIA_TYPE));
      case RequestTemplates.PassThrough pass -> Future.succeededFuture(new Body(body, contentType));
      case RequestTemplates.Render render ->
          renderer
              .render(render.template(), TemplateInputs.of(call, body.toString()))
              .compose(
                  rendered ->
                      switch (rendered) {
                        case Rendered.Text text ->
                            Future.succeededFuture(
                                new Body(
                                    Buffer.buffer(text.text()),
                                    render.type(),
                                    text.requestOverride()));
                        case Rendered.Failed failed ->
                            Future.failedFuture(ResponseMapping.failed(call, failed));
                      });
    };
  }
}
