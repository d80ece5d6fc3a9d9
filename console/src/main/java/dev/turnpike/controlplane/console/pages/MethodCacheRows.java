package dev.turnpike.controlplane.console.pages;

import dev.turnpike.contracts.config.StageCacheConfig.MethodCacheSetting;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.KeyedRows;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.deployment.StageCacheSettings.MethodCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A stage's per-method cache overrides as form rows (method, caching on/off or the stage's, time to
 * live or the stage's), API Gateway's method settings {@code caching/enabled} and {@code
 * caching/ttlInSeconds}; keyed {@code "/path/METHOD"} as method throttles are, or {@code "*}{@code
 * /*"} for every method. The use case judges them, so its messages show beside the rows.
 */
final class MethodCacheRows {
  static final String EVERY_METHOD = "*/*";

  private final KeyedRows rows =
      new KeyedRows(
          "mc",
          "key",
          "/methodSettings",
          List.of("key", "caching", "ttl"),
          List.of("/cacheTtlInSeconds"));

  KeyedRows rows() {
    return rows;
  }

  /** Fills {@code form} with the overrides, sorted by key. */
  Form fill(Form form, Map<String, MethodCacheSetting> methods) {
    int i = 0;
    for (var entry : new TreeMap<>(methods).entrySet()) {
      MethodCacheSetting setting = entry.getValue();
      form.set(rows.name(i, "key"), entry.getKey())
          .set(
              rows.name(i, "caching"),
              setting.enabled() == null ? "" : setting.enabled() ? "on" : "off")
          .set(
              rows.name(i, "ttl"),
              setting.ttlSeconds() == null ? "" : Integer.toString(setting.ttlSeconds()));
      i++;
    }
    return form;
  }

  /**
   * The overrides sent, or {@code kept} when the form had no rows; parse problems and rows without
   * a method are reported to {@code in}.
   */
  Map<String, MethodCache> read(FormInput in, Map<String, MethodCacheSetting> kept) {
    Map<String, MethodCache> methods = new LinkedHashMap<>();
    if (!rows.wasSent(in)) {
      kept.forEach(
          (key, setting) ->
              methods.put(key, new MethodCache(setting.enabled(), setting.ttlSeconds())));
      return methods;
    }
    for (KeyedRows.Sent row : rows.read(in, "choose a method")) {
      String caching = in.text(row.name("caching"));
      MethodCache setting =
          new MethodCache(
              caching == null ? null : caching.equals("on"),
              in.integer(row.name("ttl"), row.pointer() + "/cacheTtlInSeconds"));
      if (row.key() != null) {
        methods.put(row.key(), setting);
      }
    }
    return methods;
  }

  /**
   * Puts the rows of {@code form} and the methods to choose from (every method first) into {@code
   * view}.
   */
  View show(View view, Form form, List<MethodThrottleRows.Choice> methods) {
    List<MethodThrottleRows.Choice> choices = new ArrayList<>();
    choices.add(new MethodThrottleRows.Choice(EVERY_METHOD, "Every method (*/*)"));
    choices.addAll(methods);
    return view.with("cacheRows", rows.rows(form))
        .with("cacheMethodChoices", choices)
        .with(
            "cacheChoiceKeys",
            choices.stream().map(MethodThrottleRows.Choice::key).collect(Collectors.toSet()));
  }
}
