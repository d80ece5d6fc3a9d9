package dev.turnpike.portal.pages;

import dev.turnpike.portal.web.PortalFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which stage an API page documents. Each stage serves a deployment of its own, so the reference
 * (operations, OpenAPI document, try-it paths) is always one stage's.
 */
final class StageReference {
  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private StageReference() {}

  /**
   * @param wanted the stage asked for; null for the first
   * @return the stage's deployment with {@code deployedAt} written for people; null when the
   *     control plane lists none
   * @throws PortalFailure not found when the API is not published on the stage asked for
   */
  static JsonObject shown(JsonObject published, String wanted) {
    JsonArray deployments = published.getJsonArray("deployments", new JsonArray());
    JsonObject chosen = null;
    for (int i = 0; i < deployments.size() && chosen == null; i++) {
      JsonObject deployment = deployments.getJsonObject(i);
      if (wanted == null || wanted.equals(deployment.getString("stage"))) {
        chosen = deployment;
      }
    }
    if (chosen == null) {
      if (wanted != null) {
        throw PortalFailure.notFound("This API has no stage “" + wanted + "”.");
      }
      return null;
    }
    JsonObject shown = chosen.copy();
    shown.put("deployedAt", readable(chosen.getString("deploymentCreatedAt")));
    return shown;
  }

  /**
   * Adds {@code stages} to each plan: the stages of this API it sells, in words, since stages can
   * serve different operations.
   */
  static JsonArray withStages(JsonArray plans, String apiSlug) {
    JsonArray out = new JsonArray();
    for (Object p : plans) {
      JsonObject plan = ((JsonObject) p).copy();
      List<String> stages = new ArrayList<>();
      for (Object covered : plan.getJsonArray("apis", new JsonArray())) {
        if (covered instanceof String name && name.startsWith(apiSlug + "/")) {
          stages.add(name.substring(apiSlug.length() + 1));
        }
      }
      plan.put("stages", String.join(", ", stages));
      out.add(plan);
    }
    return out;
  }

  private static String readable(String instant) {
    if (instant == null) {
      return null;
    }
    try {
      return SHOWN.format(Instant.parse(instant));
    } catch (DateTimeParseException e) {
      return instant;
    }
  }
}
