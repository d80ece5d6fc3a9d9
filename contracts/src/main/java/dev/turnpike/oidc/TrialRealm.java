package dev.turnpike.oidc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The local trial's Keycloak realm: the production realm ({@code
 * infra/keycloak/turnpike-realm.json}, which has no users, no fixed secret and no password grant)
 * with the trial's additions ({@code infra/keycloak/trial-additions.json}: demo users, the password
 * grant for scripts and tests, loopback redirects) and client secrets made for one machine or one
 * test run. Keeping the additions apart is what lets the production realm ship without them.
 */
public final class TrialRealm {
  public static final String CONSOLE_CLIENT = "turnpike-console";
  public static final String PORTAL_CLIENT = "turnpike-portal";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Keycloak fills {@code ${NAME}} from its environment at import; lower-case {@code ${role_x}} are
   * its own message keys, shown translated, and stay.
   */
  private static final Pattern ENVIRONMENT_PLACEHOLDER = Pattern.compile("\\$\\{[A-Z][A-Z0-9_]*");

  private TrialRealm() {}

  /**
   * The trial realm as JSON.
   *
   * <ul>
   *   <li>a client in the additions is laid over the realm's client of the same {@code clientId}
   *       (its fields replace the realm's, its {@code attributes} are merged), or added;
   *   <li>users in the additions are added;
   *   <li>{@code clientSecrets} (by client id) replace the realm's secret placeholders.
   * </ul>
   *
   * @throws IllegalArgumentException if a file is not a JSON object, or a {@code ${NAME}}
   *     placeholder is left: the trial imports without the environment production fills them from
   */
  public static String compose(
      String realmJson, String additionsJson, Map<String, String> clientSecrets) {
    ObjectNode realm = object(realmJson, "realm");
    ObjectNode additions = object(additionsJson, "trial additions");
    ArrayNode clients = realm.withArray("clients");
    for (JsonNode addition : additions.path("clients")) {
      ObjectNode client = clientNamed(clients, addition.path("clientId").asText());
      if (client == null) {
        clients.add(addition.deepCopy());
      } else {
        layOver(client, (ObjectNode) addition);
      }
    }
    additions.path("users").forEach(user -> realm.withArray("users").add(user.deepCopy()));
    clientSecrets.forEach(
        (clientId, secret) -> {
          ObjectNode client = clientNamed(clients, clientId);
          if (client == null) {
            throw new IllegalArgumentException("the realm has no client " + clientId);
          }
          client.put("secret", secret);
        });
    List<String> left = new ArrayList<>();
    placeholders(realm, "", left);
    if (!left.isEmpty()) {
      throw new IllegalArgumentException("the trial realm leaves placeholders unset: " + left);
    }
    return realm.toPrettyString();
  }

  private static void layOver(ObjectNode client, ObjectNode addition) {
    addition
        .properties()
        .forEach(
            field -> {
              if (field.getKey().equals("attributes") && client.has("attributes")) {
                ((ObjectNode) client.get("attributes")).setAll((ObjectNode) field.getValue());
              } else {
                client.set(field.getKey(), field.getValue().deepCopy());
              }
            });
  }

  private static ObjectNode clientNamed(ArrayNode clients, String clientId) {
    for (JsonNode client : clients) {
      if (client.path("clientId").asText().equals(clientId)) {
        return (ObjectNode) client;
      }
    }
    return null;
  }

  private static void placeholders(JsonNode node, String path, List<String> found) {
    if (node.isTextual() && ENVIRONMENT_PLACEHOLDER.matcher(node.asText()).find()) {
      found.add(path + "=" + node.asText());
    } else if (node.isObject()) {
      node.properties().forEach(f -> placeholders(f.getValue(), path + "/" + f.getKey(), found));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        placeholders(node.get(i), path + "/" + i, found);
      }
    }
  }

  private static ObjectNode object(String json, String what) {
    try {
      JsonNode node = JSON.readTree(json);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalArgumentException("the " + what + " file is not a JSON object");
      }
      return object;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the " + what + " file is not JSON: " + e.getMessage(), e);
    }
  }
}
