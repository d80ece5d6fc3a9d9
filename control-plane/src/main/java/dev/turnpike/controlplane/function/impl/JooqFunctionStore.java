package dev.turnpike.controlplane.function.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.FUNCTIONS;

import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.function.FunctionStore;
import dev.turnpike.controlplane.function.RegisteredFunction;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.db.tables.records.FunctionsRecord;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** {@link FunctionStore} on the functions table. */
public final class JooqFunctionStore implements FunctionStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqFunctionStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public Optional<RegisteredFunction> find(String name) {
    return tx.selectFrom(FUNCTIONS)
        .where(FUNCTIONS.TENANT_ID.eq(tenantId).and(FUNCTIONS.NAME.eq(name)))
        .fetchOptional(JooqFunctionStore::function);
  }

  @Override
  public List<RegisteredFunction> findAll(Collection<String> names) {
    if (names.isEmpty()) {
      return List.of();
    }
    return tx.selectFrom(FUNCTIONS)
        .where(FUNCTIONS.TENANT_ID.eq(tenantId).and(FUNCTIONS.NAME.in(names)))
        .fetch(JooqFunctionStore::function);
  }

  @Override
  public Optional<RegisteredFunction> lock(String name) {
    return tx.selectFrom(FUNCTIONS)
        .where(FUNCTIONS.TENANT_ID.eq(tenantId).and(FUNCTIONS.NAME.eq(name)))
        .forUpdate()
        .fetchOptional(JooqFunctionStore::function);
  }

  @Override
  public List<RegisteredFunction> list() {
    return tx.selectFrom(FUNCTIONS)
        .where(FUNCTIONS.TENANT_ID.eq(tenantId))
        .orderBy(FUNCTIONS.NAME)
        .fetch(JooqFunctionStore::function);
  }

  @Override
  public int count() {
    return tx.fetchCount(FUNCTIONS, FUNCTIONS.TENANT_ID.eq(tenantId));
  }

  @Override
  public void insert(RegisteredFunction function) {
    try {
      insertRow(function);
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw ApiFailure.conflict(
            "Function " + function.name() + " was registered at the same moment; try again");
      }
      throw e;
    }
  }

  private void insertRow(RegisteredFunction function) {
    tx.insertInto(FUNCTIONS)
        .set(FUNCTIONS.TENANT_ID, tenantId)
        .set(FUNCTIONS.NAME, function.name())
        .set(FUNCTIONS.INVOKE_URL, function.invokeUrl())
        .set(FUNCTIONS.TIMEOUT_MS, function.timeoutMillis())
        .set(FUNCTIONS.CREATED_AT, time(function.createdAt()))
        .set(FUNCTIONS.UPDATED_AT, time(function.updatedAt()))
        .execute();
  }

  @Override
  public void update(RegisteredFunction function) {
    tx.update(FUNCTIONS)
        .set(FUNCTIONS.INVOKE_URL, function.invokeUrl())
        .set(FUNCTIONS.TIMEOUT_MS, function.timeoutMillis())
        .set(FUNCTIONS.UPDATED_AT, time(function.updatedAt()))
        .where(FUNCTIONS.TENANT_ID.eq(tenantId).and(FUNCTIONS.NAME.eq(function.name())))
        .execute();
  }

  @Override
  public void delete(String name) {
    tx.deleteFrom(FUNCTIONS)
        .where(FUNCTIONS.TENANT_ID.eq(tenantId).and(FUNCTIONS.NAME.eq(name)))
        .execute();
  }

  private static RegisteredFunction function(FunctionsRecord r) {
    return new RegisteredFunction(
        r.getName(),
        r.getInvokeUrl(),
        r.getTimeoutMs(),
        instant(r.getCreatedAt()),
        instant(r.getUpdatedAt()));
  }
}
