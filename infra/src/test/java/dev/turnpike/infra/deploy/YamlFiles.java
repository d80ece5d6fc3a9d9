package dev.turnpike.infra.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** Reads YAML files (one or many documents) and resolves compose's variable references. */
final class YamlFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Z0-9_]+)(?:(:-|:\\?)([^}]*))?}");

  private YamlFiles() {}

  static JsonNode read(Path file) {
    List<JsonNode> documents = readAll(file);
    if (documents.size() != 1) {
      throw new IllegalStateException(file + " holds " + documents.size() + " documents, not 1");
    }
    return documents.get(0);
  }

  /** Every non-empty document, with anchors, aliases and merge keys resolved. */
  static List<JsonNode> readAll(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      List<JsonNode> documents = new ArrayList<>();
      for (Object document : new Yaml().loadAll(reader)) {
        if (document != null) {
          documents.add(JSON.valueToTree(document));
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The variables a compose value refers to: name to its default ({@code ${X:-d}}), or to null for
   * a required one ({@code ${X:?message}}) or a plain {@code ${X}}.
   */
  static Map<String, String> references(String value) {
    Map<String, String> found = new LinkedHashMap<>();
    Matcher matcher = REFERENCE.matcher(value);
    while (matcher.find()) {
      found.put(matcher.group(1), ":-".equals(matcher.group(2)) ? matcher.group(3) : null);
    }
    return found;
  }

  /** The value as compose would make it, with {@code supplied} values for the variables. */
  static String interpolate(String value, Map<String, String> supplied) {
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String replacement =
          supplied.containsKey(name)
              ? supplied.get(name)
              : ":-".equals(matcher.group(2)) ? matcher.group(3) : "";
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
