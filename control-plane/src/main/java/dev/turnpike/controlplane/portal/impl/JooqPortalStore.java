package dev.turnpike.controlplane.portal.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.INVOICES;
import static dev.turnpike.db.Tables.INVOICE_LINES;
import static dev.turnpike.db.Tables.TENANTS;
import static dev.turnpike.db.Tables.TENANT_DEVELOPERS;
import static dev.turnpike.db.Tables.USAGE_PLANS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.controlplane.db.Jsonb;
import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.portal.Branding;
import dev.turnpike.controlplane.portal.Developer;
import dev.turnpike.controlplane.portal.PortalStore;
import dev.turnpike.controlplane.portal.PortalTenant;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.db.tables.records.TenantDevelopersRecord;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** {@link PortalStore} on tenants, tenant_developers, usage_plans, apps and the invoice tables. */
public final class JooqPortalStore implements PortalStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqPortalStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public Optional<PortalTenant> tenant() {
    return tx.select(TENANTS.SLUG, TENANTS.NAME, TENANTS.PORTAL_BRANDING)
        .from(TENANTS)
        .where(TENANTS.ID.eq(tenantId))
        .fetchOptional(
            r -> {
              // Read leniently, field by field: other tools may keep more in this column.
              JsonNode stored = Jsonb.read(r.value3(), JsonNode.class);
              Branding branding =
                  stored == null
                      ? Branding.defaults()
                      : new Branding(
                              text(stored, "displayName"),
                              text(stored, "logoUrl"),
                              text(stored, "primaryColor"),
                              text(stored, "accentColor"))
                          .withDefaults();
              return new PortalTenant(tenantId, r.value1(), r.value2(), branding);
            });
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }

  @Override
  public void saveBranding(Branding branding) {
    tx.update(TENANTS)
        .set(TENANTS.PORTAL_BRANDING, Jsonb.of(branding))
        .where(TENANTS.ID.eq(tenantId))
        .execute();
  }

  @Override
  public Optional<Developer> developer(UUID userId) {
    return tx.selectFrom(TENANT_DEVELOPERS)
        .where(TENANT_DEVELOPERS.TENANT_ID.eq(tenantId), TENANT_DEVELOPERS.USER_ID.eq(userId))
        .fetchOptional(JooqPortalStore::developer);
  }

  @Override
  public List<Developer> developers() {
    return tx.selectFrom(TENANT_DEVELOPERS)
        .where(TENANT_DEVELOPERS.TENANT_ID.eq(tenantId))
        .orderBy(TENANT_DEVELOPERS.CREATED_AT)
        .fetch(JooqPortalStore::developer);
  }

  private static Developer developer(TenantDevelopersRecord r) {
    return new Developer(
        r.getUserId(),
        r.getDisplayName(),
        r.getEmail(),
        r.getCompany(),
        r.getStatus(),
        r.getBlockedReason(),
        instant(r.getBlockedAt()),
        instant(r.getCreatedAt()),
        instant(r.getUpdatedAt()));
  }

  @Override
  public void insertDeveloper(Developer d) {
    try {
      tx.insertInto(TENANT_DEVELOPERS)
          .set(TENANT_DEVELOPERS.TENANT_ID, tenantId)
          .set(TENANT_DEVELOPERS.USER_ID, d.userId())
          .set(TENANT_DEVELOPERS.DISPLAY_NAME, d.displayName())
          .set(TENANT_DEVELOPERS.EMAIL, d.email())
          .set(TENANT_DEVELOPERS.COMPANY, d.company())
          .set(TENANT_DEVELOPERS.STATUS, d.status())
          .set(TENANT_DEVELOPERS.CREATED_AT, time(d.createdAt()))
          .set(TENANT_DEVELOPERS.UPDATED_AT, time(d.updatedAt()))
          .execute();
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw ApiFailure.conflict("You registered in this portal at the same moment; try again");
      }
      throw e;
    }
  }

  @Override
  public void updateDeveloper(Developer d) {
    tx.update(TENANT_DEVELOPERS)
        .set(TENANT_DEVELOPERS.DISPLAY_NAME, d.displayName())
        .set(TENANT_DEVELOPERS.EMAIL, d.email())
        .set(TENANT_DEVELOPERS.COMPANY, d.company())
        .set(TENANT_DEVELOPERS.STATUS, d.status())
        .set(TENANT_DEVELOPERS.BLOCKED_REASON, d.blockedReason())
        .set(TENANT_DEVELOPERS.BLOCKED_AT, time(d.blockedAt()))
        .set(TENANT_DEVELOPERS.UPDATED_AT, time(d.updatedAt()))
        .where(TENANT_DEVELOPERS.TENANT_ID.eq(tenantId), TENANT_DEVELOPERS.USER_ID.eq(d.userId()))
        .execute();
  }

  @Override
  public Set<UUID> hiddenPlans() {
    return new HashSet<>(
        tx.select(USAGE_PLANS.ID)
            .from(USAGE_PLANS)
            .where(USAGE_PLANS.TENANT_ID.eq(tenantId), USAGE_PLANS.PORTAL_VISIBLE.isFalse())
            .fetch(USAGE_PLANS.ID));
  }

  @Override
  public boolean setPlanVisible(UUID planId, boolean visible) {
    return tx.update(USAGE_PLANS)
            .set(USAGE_PLANS.PORTAL_VISIBLE, visible)
            .where(USAGE_PLANS.TENANT_ID.eq(tenantId), USAGE_PLANS.ID.eq(planId))
            .execute()
        == 1;
  }

  @Override
  public Set<UUID> appsOwnedBy(UUID userId) {
    return new HashSet<>(
        tx.select(APPS.ID)
            .from(APPS)
            .where(APPS.TENANT_ID.eq(tenantId), APPS.OWNER_USER_ID.eq(userId))
            .fetch(APPS.ID));
  }

  @Override
  public List<Invoice> invoices(Collection<UUID> appIds) {
    var invoices =
        tx.selectFrom(INVOICES)
            .where(INVOICES.TENANT_ID.eq(tenantId), INVOICES.APP_ID.in(appIds))
            .orderBy(INVOICES.PERIOD_START.desc(), INVOICES.CREATED_AT.desc())
            .fetch();
    if (invoices.isEmpty()) {
      return List.of();
    }
    Map<UUID, List<InvoiceLine>> lines =
        tx
            .selectFrom(INVOICE_LINES)
            .where(
                INVOICE_LINES.TENANT_ID.eq(tenantId),
                INVOICE_LINES.INVOICE_ID.in(invoices.getValues(INVOICES.ID)))
            .orderBy(INVOICE_LINES.LINE_INDEX)
            .fetch()
            .stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.getInvoiceId(),
                    Collectors.mapping(
                        r ->
                            new InvoiceLine(
                                r.getLineIndex(),
                                r.getDescription(),
                                r.getQuantity(),
                                r.getUnitPriceMicros(),
                                r.getAmountCents()),
                        Collectors.toList())));
    return invoices.stream()
        .map(
            r ->
                new Invoice(
                    r.getId(),
                    r.getAppId(),
                    r.getSubscriptionId(),
                    instant(r.getPeriodStart()),
                    instant(r.getPeriodEnd()),
                    r.getCurrency(),
                    r.getTotalCents(),
                    r.getStatus(),
                    instant(r.getCreatedAt()),
                    lines.getOrDefault(r.getId(), List.of())))
        .toList();
  }
}
