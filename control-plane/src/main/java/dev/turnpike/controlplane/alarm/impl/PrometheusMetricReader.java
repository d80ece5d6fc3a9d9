package dev.turnpike.controlplane.alarm.impl;

import static dev.turnpike.db.Tables.APIS;
import static dev.turnpike.db.Tables.TENANTS;

import dev.turnpike.controlplane.alarm.AlarmMetric;
import dev.turnpike.db.tables.records.AlarmsRecord;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.jooq.DSLContext;
import org.jooq.Record2;

/**
 * Reads an alarm's metric through Prometheus's HTTP API ({@code GET /api/v1/query}) at the round's
 * time, with a query {@link PromQl} builds from the alarm's tenant and API slugs (read here from
 * the platform's rows, not from anything the tenant typed) and its stage. Prometheus is the
 * operator's, so it is not held to the tenants' egress policy; every call is bounded by the timeout
 * and its answer by {@link #MAX_ANSWER_BYTES}.
 *
 * <p>Nothing here throws: an unreachable, slow or failing Prometheus, or an answer of another
 * shape, is a reading of insufficient data with the reason. After a failure to reach Prometheus the
 * rest of the round's alarms are not queried (they get the same reason), so a Prometheus that hangs
 * costs a round one timeout, not one per alarm, while the round holds its alarms' locks.
 *
 * <p>No series in the window is 0, as in metering's aggregates: a stage without calls has no
 * series. A ratio of no calls (0/0) is 0 too.
 */
final class PrometheusMetricReader implements MetricReader, AutoCloseable {
  static final int MAX_ANSWER_BYTES = 1 << 20;

  private final URI base;
  private final Duration timeout;
  private final HttpClient client;
  private String unreachable;

  /**
   * @param baseUrl Prometheus's root, e.g. {@code http://prometheus:9090}
   */
  PrometheusMetricReader(String baseUrl, Duration timeout) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public synchronized void roundStarted() {
    unreachable = null;
  }

  @Override
  public synchronized AlarmReading read(DSLContext tx, AlarmsRecord alarm, Instant now) {
    if (unreachable != null) {
      return AlarmReading.insufficient(unreachable);
    }
    Record2<String, String> slugs =
        tx.select(TENANTS.SLUG, APIS.SLUG)
            .from(APIS)
            .join(TENANTS)
            .on(TENANTS.ID.eq(APIS.TENANT_ID))
            .where(APIS.TENANT_ID.eq(alarm.getTenantId()))
            .and(APIS.ID.eq(alarm.getApiId()))
            .fetchOne();
    if (slugs == null) {
      return AlarmReading.insufficient("the API is gone");
    }
    String query =
        PromQl.query(
            AlarmMetric.of(alarm.getMetric()).orElseThrow(),
            slugs.value1(),
            slugs.value2(),
            alarm.getStage(),
            alarm.getWindowMinutes());
    return query(query, now);
  }

  /** One instant query; an answer that is not a one-sample (or empty) vector is no reading. */
  AlarmReading query(String promQl, Instant at) {
    URI uri =
        base.resolve(
            "api/v1/query?query="
                + URLEncoder.encode(promQl, StandardCharsets.UTF_8)
                + "&time="
                + at.getEpochSecond());
    HttpResponse<InputStream> response;
    String body;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        byte[] read = in.readNBytes(MAX_ANSWER_BYTES + 1);
        if (read.length > MAX_ANSWER_BYTES) {
          return AlarmReading.insufficient("prometheus: answer too large");
        }
        body = new String(read, StandardCharsets.UTF_8);
      }
    } catch (HttpTimeoutException e) {
      return unreachable("prometheus: no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return unreachable("prometheus: unreachable (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AlarmReading.insufficient("prometheus: interrupted");
    }
    return reading(response.statusCode(), body);
  }

  private AlarmReading unreachable(String why) {
    unreachable = why;
    return AlarmReading.insufficient(why);
  }

  private AlarmReading reading(int status, String body) {
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return status >= 500
          ? unreachable("prometheus: answered " + status)
          : AlarmReading.insufficient("prometheus: answered " + status + ", not JSON");
    }
    if (!"success".equals(json.getValue("status")) || status != 200) {
      String why =
          "prometheus: answered "
              + status
              + " "
              + json.getValue("errorType", "")
              + ": "
              + json.getValue("error", "");
      return status >= 500 && !"execution".equals(json.getValue("errorType"))
          ? unreachable(why)
          : AlarmReading.insufficient(why);
    }
    try {
      JsonObject data = json.getJsonObject("data");
      if (data.getString("resultType").equals("scalar")) {
        return sample(data.getJsonArray("result"));
      }
      if (!data.getString("resultType").equals("vector")) {
        return AlarmReading.insufficient("prometheus: a " + data.getString("resultType"));
      }
      JsonArray result = data.getJsonArray("result");
      if (result.isEmpty()) {
        return AlarmReading.of(0);
      }
      if (result.size() > 1) {
        return AlarmReading.insufficient("prometheus: " + result.size() + " series, not one");
      }
      return sample(result.getJsonObject(0).getJsonArray("value"));
    } catch (RuntimeException e) {
      return AlarmReading.insufficient("prometheus: an answer of another shape");
    }
  }

  /** {@code [<unix time>, "<value>"]}; Prometheus writes NaN and infinities as strings too. */
  private static AlarmReading sample(JsonArray value) {
    String text = value.getString(1);
    if (text.endsWith("Inf")) {
      return AlarmReading.insufficient("prometheus: the value is infinite");
    }
    double v = Double.parseDouble(text);
    return AlarmReading.of(Double.isNaN(v) ? 0 : v);
  }

  @Override
  public void close() {
    client.close();
  }
}
