package dev.turnpike.mapping;

import java.util.Map;

/**
 * What one rendering sees: {@code $input} (the body and the request's parameters), {@code $context}
 * and {@code $stageVariables}.
 *
 * @param body the body {@code $input.body}, {@code $input.json} and {@code $input.path} read: the
 *     method request's for a request template, the integration's for a response template; "" for
 *     none
 * @param path the method request's path parameters
 * @param querystring its query string parameters (the first value of each)
 * @param headers its headers (the first value of each); looked up without regard to case
 * @param context the {@code $context} variables by their dotted names without the prefix ({@code
 *     requestId}, {@code identity.sourceIp}, {@code authorizer.claims.sub}, {@code error.message},
 *     ...), see {@code dev.turnpike.contracts.config.ContextVariables}
 * @param stageVariables the stage's variables
 */
public record TemplateInput(
    String body,
    Map<String, String> path,
    Map<String, String> querystring,
    Map<String, String> headers,
    Map<String, String> context,
    Map<String, String> stageVariables) {
  public TemplateInput {
    body = body == null ? "" : body;
    path = path == null ? Map.of() : path;
    querystring = querystring == null ? Map.of() : querystring;
    headers = headers == null ? Map.of() : headers;
    context = context == null ? Map.of() : context;
    stageVariables = stageVariables == null ? Map.of() : stageVariables;
  }
}
