package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.function.FunctionStore;
import dev.turnpike.controlplane.function.RegisteredFunction;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link FunctionStore} on the in-memory database: one tenant's functions, keyed by name. */
final class MemoryFunctionStore implements FunctionStore {
  static final String FUNCTIONS = "functions";

  private final MemoryDb.Table<RegisteredFunction> functions;

  MemoryFunctionStore(MemoryDb.Tx tx, UUID tenantId) {
    this.functions = tx.table(FUNCTIONS, tenantId, RegisteredFunction.class);
  }

  @Override
  public Optional<RegisteredFunction> find(String name) {
    return functions.get(name);
  }

  @Override
  public List<RegisteredFunction> findAll(Collection<String> names) {
    return functions.where(f -> names.contains(f.name()));
  }

  @Override
  public Optional<RegisteredFunction> lock(String name) {
    // One transaction at a time runs on the in-memory database: reading is locking.
    return functions.get(name);
  }

  @Override
  public List<RegisteredFunction> list() {
    return functions.where(f -> true, Comparator.comparing(RegisteredFunction::name));
  }

  @Override
  public int count() {
    return functions.count(f -> true);
  }

  @Override
  public void insert(RegisteredFunction function) {
    functions.put(function.name(), function);
  }

  @Override
  public void update(RegisteredFunction function) {
    functions.put(function.name(), function);
  }

  @Override
  public void delete(String name) {
    functions.remove(name);
  }
}
