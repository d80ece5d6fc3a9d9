package dev.turnpike.controlplane.alarm.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.alarm.AlarmSpec;
import dev.turnpike.controlplane.alarm.Alarms;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import io.vertx.ext.web.Router;
import java.util.UUID;

/** An API's alarms: {@code /v1/tenants/{tenantId}/apis/{apiId}/alarms/{alarmId}}. */
public final class AlarmEndpoints implements Endpoints {
  private final Http http;
  private final Alarms alarms;

  public AlarmEndpoints(Http http, Alarms alarms) {
    this.http = http;
    this.alarms = alarms;
  }

  @Override
  public void mount(Router router) {
    String list = "/v1/tenants/:tenantId/apis/:apiId/alarms";
    String one = list + "/:alarmId";
    router
        .get(list)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              http.inTenant(ctx, READ, 200, tx -> alarms.list(tx, apiId));
            });
    router
        .post(list)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              var in = http.body(ctx, AlarmSpec.class);
              http.inTenant(ctx, WRITE, 201, tx -> alarms.create(tx, apiId, in));
            });
    router
        .get(one)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              UUID alarmId = http.id(ctx, "alarmId", "Alarm");
              http.inTenant(ctx, READ, 200, tx -> alarms.get(tx, apiId, alarmId));
            });
    router
        .put(one)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              UUID alarmId = http.id(ctx, "alarmId", "Alarm");
              var in = http.body(ctx, AlarmSpec.class);
              http.inTenant(ctx, WRITE, 200, tx -> alarms.update(tx, apiId, alarmId, in));
            });
    // A new signing secret, in this answer only; the old one stops signing at once.
    router
        .post(one + "/signing-secret")
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              UUID alarmId = http.id(ctx, "alarmId", "Alarm");
              http.inTenant(ctx, WRITE, 200, tx -> alarms.rotateSigningSecret(tx, apiId, alarmId));
            });
    router
        .get(one + "/history")
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              UUID alarmId = http.id(ctx, "alarmId", "Alarm");
              http.inTenant(ctx, READ, 200, tx -> alarms.history(tx, apiId, alarmId));
            });
    router
        .delete(one)
        .handler(
            ctx -> {
              UUID apiId = http.id(ctx, "apiId", "API");
              UUID alarmId = http.id(ctx, "alarmId", "Alarm");
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    alarms.delete(tx, apiId, alarmId);
                    return null;
                  });
            });
  }
}
