package dev.turnpike.controlplane.function;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** A tenant's registered functions, within one tenant-scoped transaction. */
public interface FunctionStore {
  Optional<RegisteredFunction> find(String name);

  /** The registered ones among {@code names}, in one read. */
  List<RegisteredFunction> findAll(Collection<String> names);

  /** Reads the function and locks it until the transaction ends. */
  Optional<RegisteredFunction> lock(String name);

  List<RegisteredFunction> list();

  int count();

  void insert(RegisteredFunction function);

  void update(RegisteredFunction function);

  void delete(String name);
}
