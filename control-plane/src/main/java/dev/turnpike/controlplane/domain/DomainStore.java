package dev.turnpike.controlplane.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A tenant's custom domains and their mappings, within one tenant-scoped transaction. */
public interface DomainStore {
  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when any tenant has the name
   */
  void insert(CustomDomain domain);

  Optional<CustomDomain> find(String name);

  /** Reads the domain and locks it until the transaction ends. */
  Optional<CustomDomain> lock(String name);

  List<CustomDomain> list();

  int count();

  void update(CustomDomain domain);

  void delete(String name);

  /** The domain's mappings, ordered by base path. */
  List<DomainMapping> mappings(String name);

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the domain has the base path
   */
  void insertMapping(DomainMapping mapping);

  /** Whether there was such a mapping to delete. */
  boolean deleteMapping(String name, String basePath);

  /** The names of the domains with a mapping to the API. */
  List<String> mappedTo(UUID apiId);
}
