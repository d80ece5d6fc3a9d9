package dev.turnpike.infra.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.settings.PublishedSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the deployments may import as the Turnpike realm: no user (the demo users belong to the
 * local trial), no client with the password grant, no client secret written in the file (each is a
 * {@code ${VARIABLE}} Keycloak fills at import) and no published secret anywhere.
 */
final class ProductionRealmFile {
  static final Path FILE = ServiceContracts.ROOT.resolve("infra/keycloak/turnpike-realm.json");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

  private ProductionRealmFile() {}

  static JsonNode read(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every way {@code realm} falls short of a production realm; empty when it does not. */
  static List<String> problems(JsonNode realm) {
    List<String> problems = new ArrayList<>();
    for (JsonNode user : realm.path("users")) {
      problems.add("user " + user.path("username").asText() + " is in the realm");
    }
    for (JsonNode client : realm.path("clients")) {
      String id = client.path("clientId").asText();
      if (client.path("directAccessGrantsEnabled").asBoolean(false)) {
        problems.add("client " + id + " has the password grant");
      }
      JsonNode secret = client.path("secret");
      if (!secret.isMissingNode() && !VARIABLE.matcher(secret.asText()).matches()) {
        problems.add("client " + id + " has a secret written in the file");
      }
    }
    collectPublished(realm, "", problems);
    return problems;
  }

  /** The environment variables Keycloak must be given to import {@code realm}. */
  static Set<String> variables(JsonNode realm) {
    Set<String> names = new TreeSet<>();
    collectVariables(realm, names);
    return names;
  }

  private static void collectVariables(JsonNode node, Set<String> names) {
    if (node.isTextual()) {
      Matcher matcher = VARIABLE.matcher(node.asText());
      while (matcher.find()) {
        names.add(matcher.group(1));
      }
    }
    node.forEach(child -> collectVariables(child, names));
  }

  private static void collectPublished(JsonNode node, String path, List<String> problems) {
    if (node.isTextual() && PublishedSecrets.isPublished(node.asText())) {
      problems.add(path + " holds a published secret");
    } else if (node.isObject()) {
      node.properties()
          .forEach(f -> collectPublished(f.getValue(), path + "/" + f.getKey(), problems));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectPublished(node.get(i), path + "/" + i, problems);
      }
    }
  }
}
