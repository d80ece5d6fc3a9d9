package dev.turnpike.controlplane.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads request bodies into the use cases' input records, strictly: unknown fields and values of
 * the wrong JSON type are refused with a pointer to the offending field, before anything changes.
 * Public for the console, whose JSON text fields are read as the API reads the same document.
 */
public final class JsonBodies {
  private JsonBodies() {}

  public static <T> T read(Buffer body, String contentType, Class<T> type) {
    if (body == null || body.length() == 0) {
      throw new ApiFailure(ProblemKind.MALFORMED_JSON, "A JSON object body is required", List.of());
    }
    if (contentType == null || !isJson(contentType)) {
      throw new ApiFailure(
          ProblemKind.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json", List.of());
    }
    try {
      T value = Json.STRICT.readValue(body.getBytes(), type);
      if (value == null) {
        throw new ApiFailure(ProblemKind.MALFORMED_JSON, "A JSON object body is required");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw invalid(e, "is not a known field");
    } catch (MismatchedInputException e) {
      throw invalid(e, "must be " + describe(e.getTargetType()));
    } catch (JsonMappingException e) {
      throw invalid(e, "is not valid here");
    } catch (JsonProcessingException e) {
      throw new ApiFailure(
          ProblemKind.MALFORMED_JSON,
          "The body is not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    } catch (IOException e) {
      throw new ApiFailure(ProblemKind.MALFORMED_JSON, "The body could not be read");
    }
  }

  private static boolean isJson(String contentType) {
    String base = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return base.equals("application/json") || base.endsWith("+json");
  }

  private static ApiFailure invalid(JsonMappingException e, String message) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      pointer.append('/');
      if (ref.getFieldName() != null) {
        pointer.append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
      } else {
        pointer.append(ref.getIndex());
      }
    }
    String path = pointer.isEmpty() ? "/" : pointer.toString();
    if (path.equals("/") && message.startsWith("must be")) {
      return new ApiFailure(ProblemKind.MALFORMED_JSON, "The body must be a JSON object");
    }
    return new ApiFailure(
        ProblemKind.VALIDATION_FAILED,
        "The request has 1 invalid field",
        List.of(new FieldError(path, message)));
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == UUID.class) {
      return "a UUID string";
    }
    if (type == Instant.class) {
      return "an RFC 3339 timestamp string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return "of another type";
  }
}
