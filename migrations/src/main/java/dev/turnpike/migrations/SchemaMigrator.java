package dev.turnpike.migrations;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies Turnpike's schema. Services run it at start with the schema owner's credentials, never
 * the application role's.
 */
public final class SchemaMigrator {
  private SchemaMigrator() {}

  public static MigrateResult migrate(DataSource ownerDataSource) {
    return Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(ownerDataSource)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }
}
