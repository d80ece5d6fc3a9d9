package dev.turnpike.controlplane.alarm;

import dev.turnpike.controlplane.function.InvokeUrlPolicy;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Use cases of an API's alarms. A webhook URL is a tenant's choice of where the control plane
 * itself will send requests, so it is held to the platform's egress policy at save (here) and again
 * on the addresses it resolves to at each call ({@code impl.WebhookSender}).
 */
public final class Alarms {
  /** An API's alarms at most: each is evaluated every round. */
  public static final int MAX_PER_API = 20;

  /** A day: the longest window the minute aggregates are summed over. */
  public static final int MAX_WINDOW_MINUTES = 1440;

  private static final java.util.regex.Pattern STAGE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** History rows an owner reads at once. */
  public static final int HISTORY_LIMIT = 100;

  private final TxStore<AlarmStore> alarmStore;
  private final InvokeUrlPolicy egress;
  private final SigningSecrets secrets;

  public Alarms(TxStore<AlarmStore> alarmStore, InvokeUrlPolicy egress, SigningSecrets secrets) {
    this.alarmStore = alarmStore;
    this.egress = egress;
    this.secrets = secrets;
  }

  /** Creates the alarm; the answer carries its signing secret, the only time it is shown. */
  public Alarm create(TenantTx tx, UUID apiId, AlarmSpec in) {
    AlarmStore store = locked(tx, apiId);
    judge(tx, in);
    if (store.count(apiId) >= MAX_PER_API) {
      throw ApiFailure.conflict(
          "The API has " + MAX_PER_API + " alarms, the most it may have; delete one first");
    }
    Alarm created =
        new Alarm(
            UUID.randomUUID(),
            apiId,
            in.name(),
            in.stage(),
            in.metric(),
            in.comparison(),
            in.threshold(),
            in.windowMinutes(),
            in.webhookUrl(),
            in.enabledOrDefault(),
            Alarm.OK,
            null,
            null,
            null,
            tx.now(),
            tx.now(),
            true,
            null);
    String secret = SigningSecrets.issue();
    store.insert(created, secrets.stored(secret, created.id()));
    // The audit trail records the alarm without its secret.
    tx.audit().record("alarm.create", "alarm", created.id(), null, created);
    return created.withSigningSecret(secret);
  }

  /**
   * Issues the alarm a new signing secret, shown in this answer only; calls from the next round on
   * are signed with it.
   */
  public Alarm rotateSigningSecret(TenantTx tx, UUID apiId, UUID alarmId) {
    AlarmStore store = locked(tx, apiId);
    Alarm alarm = store.find(apiId, alarmId).orElseThrow(() -> notFound(alarmId));
    String secret = SigningSecrets.issue();
    store.setSigningSecret(alarm.id(), secrets.stored(secret, alarm.id()));
    tx.audit().record("alarm.rotate-signing-secret", "alarm", alarm.id(), null, null);
    return alarm.withSigningSecret(secret);
  }

  /** Replaces what the owner stated; the alarm keeps its state until the next evaluation. */
  public Alarm update(TenantTx tx, UUID apiId, UUID alarmId, AlarmSpec in) {
    AlarmStore store = locked(tx, apiId);
    Alarm before = store.find(apiId, alarmId).orElseThrow(() -> notFound(alarmId));
    judge(tx, in);
    Alarm after = before.restated(in, tx.now());
    store.update(after);
    tx.audit().record("alarm.update", "alarm", after.id(), before, after);
    return after;
  }

  public Alarm get(TenantTx tx, UUID apiId, UUID alarmId) {
    return readable(tx, apiId).find(apiId, alarmId).orElseThrow(() -> notFound(alarmId));
  }

  public List<Alarm> list(TenantTx tx, UUID apiId) {
    return readable(tx, apiId).list(apiId);
  }

  /** The alarm's changes of state, newest first. */
  public List<AlarmTransition> history(TenantTx tx, UUID apiId, UUID alarmId) {
    AlarmStore store = readable(tx, apiId);
    store.find(apiId, alarmId).orElseThrow(() -> notFound(alarmId));
    return store.history(alarmId, HISTORY_LIMIT);
  }

  public void delete(TenantTx tx, UUID apiId, UUID alarmId) {
    AlarmStore store = locked(tx, apiId);
    Alarm before = store.find(apiId, alarmId).orElseThrow(() -> notFound(alarmId));
    store.delete(before.id());
    tx.audit().record("alarm.delete", "alarm", before.id(), before, null);
  }

  /**
   * @throws ApiFailure 400 listing every problem
   */
  void judge(TenantTx tx, AlarmSpec in) {
    Validation v = new Validation();
    if (in == null) {
      v.add(
          "",
          "must be an alarm: {name, stage, metric, comparison, threshold, windowMinutes,"
              + " webhookUrl, enabled}");
      v.throwIfInvalid();
    }
    if (v.required("/name", in.name())) {
      v.length("/name", in.name(), 1, 128);
    }
    if (v.required("/stage", in.stage()) && !STAGE_NAME.matcher(in.stage()).matches()) {
      // A stage's own rule (stages.name): the evaluator also escapes it in PromQL, whatever it is.
      v.add("/stage", "must be a stage name: 1 to 64 letters, digits, _ or -");
    }
    if (v.required("/metric", in.metric()) && AlarmMetric.of(in.metric()).isEmpty()) {
      v.add("/metric", "must be one of " + names(AlarmMetric.values()));
    }
    if (v.required("/comparison", in.comparison()) && Comparison.of(in.comparison()).isEmpty()) {
      v.add("/comparison", "must be one of " + names(Comparison.values()));
    }
    if (v.required("/threshold", in.threshold())) {
      v.check("/threshold", in.threshold(), t -> Double.isFinite(t) && t >= 0, "must be 0 or more");
    }
    if (v.required("/windowMinutes", in.windowMinutes())) {
      v.range("/windowMinutes", in.windowMinutes(), 1, MAX_WINDOW_MINUTES);
    }
    if (v.required("/webhookUrl", in.webhookUrl())) {
      String problem = urlProblem(in.webhookUrl());
      if (problem == null) {
        problem = egress.problem(tx.tenantId(), in.webhookUrl());
      }
      if (problem != null) {
        v.add("/webhookUrl", problem);
      }
    }
    v.throwIfInvalid();
  }

  /** Why {@code url} cannot be a webhook, whatever the egress policy says; null if it can. */
  static String urlProblem(String url) {
    if (url.length() > 2048) {
      return "must be at most 2048 characters";
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "must be an http or https URL";
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null
        || uri.isOpaque()) {
      return "must be an http or https URL with a host";
    }
    if (uri.getRawUserInfo() != null) {
      return "must not carry credentials in the URL";
    }
    if (uri.getRawFragment() != null) {
      return "must be without fragment";
    }
    return null;
  }

  private AlarmStore locked(TenantTx tx, UUID apiId) {
    AlarmStore store = alarmStore.in(tx);
    if (!store.lockApi(apiId)) {
      throw ApiFailure.notFound("API " + apiId);
    }
    return store;
  }

  private AlarmStore readable(TenantTx tx, UUID apiId) {
    AlarmStore store = alarmStore.in(tx);
    if (!store.apiExists(apiId)) {
      throw ApiFailure.notFound("API " + apiId);
    }
    return store;
  }

  private static String names(Enum<?>[] values) {
    return Arrays.stream(values)
        .map(e -> e.name().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.joining(", "));
  }

  private static ApiFailure notFound(UUID alarmId) {
    return ApiFailure.notFound("Alarm " + alarmId);
  }
}
