package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.domain.CustomDomain;
import dev.turnpike.controlplane.domain.DomainMapping;
import dev.turnpike.controlplane.domain.DomainStore;
import dev.turnpike.controlplane.problem.ApiFailure;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link DomainStore} on the in-memory database: one tenant's domains, with the name unique across
 * every tenant as the primary key makes it.
 */
final class MemoryDomainStore implements DomainStore {
  static final String DOMAINS = "domains";
  static final String MAPPINGS = "domain_mappings";

  private final MemoryDb.Table<CustomDomain> domains;
  private final MemoryDb.Table<CustomDomain> everyTenant;
  private final MemoryDb.Table<DomainMapping> mappings;

  MemoryDomainStore(MemoryDb.Tx tx, UUID tenantId) {
    this.domains = tx.table(DOMAINS, tenantId, CustomDomain.class);
    this.everyTenant = tx.everyTenant(DOMAINS, CustomDomain.class);
    this.mappings = tx.table(MAPPINGS, tenantId, DomainMapping.class);
  }

  @Override
  public void insert(CustomDomain domain) {
    if (everyTenant.exists(d -> d.name().equals(domain.name()))) {
      throw ApiFailure.conflict("Domain " + domain.name() + " is not available");
    }
    domains.put(domain.name(), domain);
  }

  @Override
  public Optional<CustomDomain> find(String name) {
    return domains.get(name);
  }

  @Override
  public Optional<CustomDomain> lock(String name) {
    // One transaction at a time runs on the in-memory database: reading is locking.
    return domains.get(name);
  }

  @Override
  public List<CustomDomain> list() {
    return domains.where(d -> true, Comparator.comparing(CustomDomain::name));
  }

  @Override
  public int count() {
    return domains.count(d -> true);
  }

  @Override
  public void update(CustomDomain domain) {
    domains.put(domain.name(), domain);
  }

  @Override
  public void delete(String name) {
    domains.remove(name);
    mappings.removeIf(m -> m.domainName().equals(name));
  }

  @Override
  public List<DomainMapping> mappings(String name) {
    return mappings.where(
        m -> m.domainName().equals(name), Comparator.comparing(DomainMapping::basePath));
  }

  @Override
  public void insertMapping(DomainMapping mapping) {
    String id = mapping.domainName() + "/" + mapping.basePath();
    if (mappings.get(id).isPresent()) {
      throw ApiFailure.conflict("Domain " + mapping.domainName() + " already maps the base path");
    }
    mappings.put(id, mapping);
  }

  @Override
  public boolean deleteMapping(String name, String basePath) {
    return mappings.remove(name + "/" + basePath);
  }

  @Override
  public List<String> mappedTo(UUID apiId) {
    return mappings.where(m -> m.apiId().equals(apiId)).stream()
        .map(DomainMapping::domainName)
        .distinct()
        .sorted()
        .toList();
  }
}
