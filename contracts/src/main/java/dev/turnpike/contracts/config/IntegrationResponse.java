package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One of a non-proxy integration's responses, as API Gateway's {@code IntegrationResponse}: the
 * first whose {@code selectionPattern} matches the backend's status code (for {@code http} and
 * {@code mock}) or the function's error message (for {@code aws}) shapes the method's response; the
 * one without a pattern is the default.
 *
 * @param selectionPattern a regular expression matched against the whole status code or error
 *     message; null for the default response
 * @param statusCode the method response status this response answers with
 * @param responseParameters {@code method.response.header.X} from {@code
 *     integration.response.header.Y}, {@code integration.response.body} or a JSONPath under it, or
 *     a {@code 'literal'}
 * @param responseTemplates by Content-Type; the one for the method response's type renders the
 *     body, none passes the integration's body through
 * @param contentHandling how the body changes between text and binary; null for as it is
 */
public record IntegrationResponse(
    String selectionPattern,
    int statusCode,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> responseParameters,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> responseTemplates,
    @JsonInclude(JsonInclude.Include.NON_NULL) ContentHandling contentHandling) {
  public IntegrationResponse {
    selectionPattern =
        selectionPattern == null || selectionPattern.isEmpty() ? null : selectionPattern;
    responseParameters = responseParameters == null ? Map.of() : Map.copyOf(responseParameters);
    responseTemplates = responseTemplates == null ? Map.of() : Map.copyOf(responseTemplates);
  }

  /** Whether this is the response used when no pattern matches; derived, so never on the wire. */
  @JsonIgnore
  public boolean isDefault() {
    return selectionPattern == null;
  }
}
