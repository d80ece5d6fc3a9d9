package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads an OpenAPI document from a request body, as JSON or YAML by its media type, and writes one
 * out. Duplicate keys are refused, as a document with them means two different things.
 */
public final class DocumentCodec {
  /** The two ways a document is written. */
  public enum Format {
    JSON("application/json"),
    YAML("application/yaml");

    private final String mediaType;

    Format(String mediaType) {
      this.mediaType = mediaType;
    }

    public String mediaType() {
      return mediaType;
    }
  }

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          // Strings double-quoted and on one line, as API Gateway writes its exports: "200" and
          // "'*'" read back as the same strings.
          .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .build();

  private DocumentCodec() {}

  /**
   * @return the format a request's media type names, or null for one that is neither
   */
  public static Format formatOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (base) {
      case "application/json", "application/vnd.oai.openapi+json" -> Format.JSON;
      case "application/yaml",
          "application/x-yaml",
          "text/yaml",
          "text/x-yaml",
          "application/vnd.oai.openapi" ->
          Format.YAML;
      default -> base.endsWith("+json") ? Format.JSON : null;
    };
  }

  /**
   * @throws ApiFailure 415 for a media type that is neither JSON nor YAML; 400 with the parser's
   *     line and column at pointer "" for a document that does not parse
   */
  public static JsonNode read(byte[] body, String contentType) {
    Format format = formatOf(contentType);
    if (format == null) {
      throw new ApiFailure(
          ProblemKind.UNSUPPORTED_MEDIA_TYPE,
          "Send the OpenAPI document as application/json, application/yaml or text/yaml");
    }
    if (body == null || body.length == 0) {
      throw malformed(format, "the document is empty");
    }
    JsonNode document;
    try {
      document = (format == Format.JSON ? JSON : YAML).readTree(body);
      if (format == Format.YAML) {
        refuseAliases(body);
      }
    } catch (JsonProcessingException e) {
      throw malformed(format, describe(e));
    } catch (IOException e) {
      throw malformed(format, "the document could not be read");
    }
    if (document == null || document.isMissingNode()) {
      throw malformed(format, "the document is empty");
    }
    if (!document.isObject()) {
      throw malformed(format, "the document must be an object with an openapi field");
    }
    return document;
  }

  public static byte[] write(JsonNode document, Format format) {
    try {
      return (format == Format.JSON ? JSON.writerWithDefaultPrettyPrinter() : YAML.writer())
          .writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an OpenAPI document", e);
    }
  }

  /**
   * The YAML reader turns an alias ({@code *name}) into the string "name" rather than the anchored
   * value, so a document that uses one would silently mean something else.
   */
  private static void refuseAliases(byte[] body) throws IOException {
    try (YAMLParser parser = (YAMLParser) YAML.createParser(body)) {
      while (parser.nextToken() != null) {
        if (parser.isCurrentAlias()) {
          JsonLocation at = parser.currentTokenLocation();
          throw malformed(
              Format.YAML,
              "line "
                  + at.getLineNr()
                  + ", column "
                  + at.getColumnNr()
                  + ": aliases (*"
                  + parser.getText()
                  + ") are not supported; write the value out");
        }
      }
    }
  }

  private static String describe(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      return "line "
          + (yaml.getProblemMark().getLine() + 1)
          + ", column "
          + (yaml.getProblemMark().getColumn() + 1)
          + ": "
          + yaml.getProblem();
    }
    JsonLocation location = e.getLocation();
    String message = e.getOriginalMessage().lines().findFirst().orElse("cannot be parsed");
    return location == null
        ? message
        : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " + message;
  }

  private static ApiFailure malformed(Format format, String message) {
    // JSON keeps the type every other endpoint uses for an unparseable body.
    ProblemKind kind =
        format == Format.JSON ? ProblemKind.MALFORMED_JSON : ProblemKind.VALIDATION_FAILED;
    return new ApiFailure(
        kind,
        "The document is not valid " + format.name() + ": " + message,
        List.of(new FieldError("", message)));
  }
}
