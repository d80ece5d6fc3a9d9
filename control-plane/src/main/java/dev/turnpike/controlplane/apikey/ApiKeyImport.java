package dev.turnpike.controlplane.apikey;

import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Bulk import of existing keys from a CSV file, as API Gateway's {@code ImportApiKeys} offers, so
 * clients migrating keep the keys they already hold. Keys are hashed at once; only hash and prefix
 * are stored.
 *
 * <p>With {@code failOnWarnings} (the default here, unlike AWS, because bad input must change
 * nothing) any problem refuses the whole file with every problem listed. Without it the good rows
 * are imported and the others come back as warnings. A {@code usageplanIds} cell must name plans
 * the app is subscribed to: in Turnpike plans attach to apps, and a key takes its app's plans.
 */
public final class ApiKeyImport {
  /** The ids of the imported keys, in file order, and the rows left out. */
  public record Result(List<UUID> ids, List<FieldError> warnings) {}

  /**
   * The request as it came: judged only once the app is known to exist, so a caller without access
   * learns nothing from the kind of error.
   */
  public record Upload(String contentType, String body, String failOnWarnings) {}

  private final KeyPublisher publisher;
  private final ApiKeys keys;
  private final TxStore<ApiKeyStore> apiKeyStore;

  public ApiKeyImport(TxStore<ApiKeyStore> apiKeyStore, KeyPublisher publisher, ApiKeys keys) {
    this.apiKeyStore = apiKeyStore;
    this.publisher = publisher;
    this.keys = keys;
  }

  public Result importCsv(TenantTx tx, UUID appId, Upload upload) {
    ApiKeyStore store = apiKeyStore.in(tx);
    String appStatus = store.lockApp(appId).orElseThrow(() -> ApiKeys.appNotFound(appId));
    String type = upload.contentType() == null ? "" : upload.contentType();
    if (!type.toLowerCase(Locale.ROOT).startsWith("text/csv")) {
      throw new ApiFailure(
          ProblemKind.UNSUPPORTED_MEDIA_TYPE, "Send the keys as text/csv, a header row first");
    }
    boolean failOnWarnings =
        switch (upload.failOnWarnings() == null ? "true" : upload.failOnWarnings()) {
          case "true" -> true;
          case "false" -> false;
          default -> throw ApiFailure.invalid("/failOnWarnings", "must be true or false");
        };
    KeyCsv.Parsed parsed = KeyCsv.parse(upload.body() == null ? "" : upload.body());
    List<FieldError> problems = new ArrayList<>(parsed.problems());
    Set<UUID> subscribed = new HashSet<>(store.activePlanIds(appId));
    Set<String> seen = new HashSet<>();
    List<KeyCsv.Row> accepted = new ArrayList<>();
    for (KeyCsv.Row row : parsed.rows()) {
      String at = "/rows/" + row.number() + "/";
      List<UUID> missing = row.planIds().stream().filter(id -> !subscribed.contains(id)).toList();
      if (!missing.isEmpty()) {
        problems.add(
            new FieldError(
                at + "usageplanIds",
                "the app is not subscribed to " + missing + "; subscribe it first"));
      } else if (!seen.add(row.plainKey())) {
        problems.add(new FieldError(at + "key", "the same key appears on an earlier row"));
      } else {
        accepted.add(row);
      }
    }
    if (!accepted.isEmpty()) {
      keys.requireRoomFor(tx, store, appId, accepted.size(), null);
    }
    List<UUID> ids = new ArrayList<>();
    BillingStanding.Standing standing = store.billingStanding(appId);
    for (KeyCsv.Row row : accepted) {
      ApiKey key =
          new ApiKey(
              UUID.randomUUID(),
              appId,
              row.name(),
              row.plainKey().substring(0, ApiKeyGenerator.VISIBLE_PREFIX_LENGTH),
              KeyStatus.storedForNewKey(row.enabled() ? "enabled" : "disabled", standing),
              tx.now(),
              null,
              null,
              null,
              null);
      String hash = ApiKeyHash.sha256Hex(row.plainKey());
      if (!store.insertIfAbsent(key, hash)) {
        problems.add(
            new FieldError("/rows/" + row.number() + "/key", "this key is already in use"));
        continue;
      }
      publisher.publish(tx, new ApiKeyStore.StoredKey(key, hash), appStatus);
      tx.audit().record("key.import", "api_key", key.id(), null, key);
      ids.add(key.id());
    }
    problems.sort(
        java.util.Comparator.comparing(FieldError::pointer, ApiKeyImport::byRowThenColumn));
    if (failOnWarnings && !problems.isEmpty()) {
      // Thrown on the worker thread, it rolls back every key inserted above.
      throw new ApiFailure(
          ProblemKind.VALIDATION_FAILED,
          "The file has "
              + problems.size()
              + (problems.size() == 1 ? " problem" : " problems")
              + "; no key was imported",
          problems);
    }
    return new Result(List.copyOf(ids), List.copyOf(problems));
  }

  /** Orders {@code /rows/10/key} after {@code /rows/9/key}, and header problems first. */
  private static int byRowThenColumn(String a, String b) {
    return Long.compare(rowOf(a), rowOf(b)) != 0
        ? Long.compare(rowOf(a), rowOf(b))
        : a.compareTo(b);
  }

  private static long rowOf(String pointer) {
    String[] parts = pointer.split("/");
    if (parts.length > 2 && parts[1].equals("rows")) {
      try {
        return Long.parseLong(parts[2]);
      } catch (NumberFormatException e) {
        return Long.MAX_VALUE;
      }
    }
    return -1;
  }
}
