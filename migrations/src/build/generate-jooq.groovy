// Generates the jOOQ classes from the Flyway migrations applied to a real, embedded PostgreSQL.
// Runs in generate-sources; skipped when the generated code is newer than every migration.
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import org.flywaydb.core.Flyway
import org.jooq.codegen.GenerationTool
import org.jooq.meta.jaxb.Configuration
import org.jooq.meta.jaxb.Database
import org.jooq.meta.jaxb.Generate
import org.jooq.meta.jaxb.Generator
import org.jooq.meta.jaxb.Jdbc
import org.jooq.meta.jaxb.Target

def migrations = new File(project.basedir, 'src/main/resources/db/migration')
def output = new File(project.properties['jooq.output'])
def stamp = new File(output, '.generated-from-migrations')
def script = new File(project.basedir, 'src/build/generate-jooq.groovy')
def newestInput = ([script] + (migrations.listFiles() as List)).collect { it.lastModified() }.max()

if (stamp.exists() && stamp.lastModified() >= newestInput) {
  log.info("jOOQ classes are up to date with ${migrations}")
  return
}

log.info("Generating jOOQ classes from ${migrations} on embedded PostgreSQL")
output.deleteDir()
def postgres = EmbeddedPostgres.builder().start()
try {
  Flyway.configure(getClass().classLoader)
      .dataSource(postgres.postgresDatabase)
      .locations("filesystem:${migrations.absolutePath}")
      .load()
      .migrate()
  GenerationTool.generate(new Configuration()
      .withJdbc(new Jdbc()
          .withDriver('org.postgresql.Driver')
          .withUrl(postgres.getJdbcUrl('postgres', 'postgres'))
          .withUser('postgres'))
      .withGenerator(new Generator()
          .withDatabase(new Database()
              .withName('org.jooq.meta.postgres.PostgresDatabase')
              .withInputSchema('public')
              .withExcludes('flyway_schema_history'))
          .withGenerate(new Generate()
              .withRecords(true)
              .withPojos(false)
              .withDaos(false)
              .withJavaTimeTypes(true)
              .withGeneratedAnnotation(false))
          .withTarget(new Target()
              .withPackageName('dev.turnpike.db')
              .withDirectory(output.absolutePath))))
} finally {
  postgres.close()
}
stamp.text = "generated from ${migrations}\n"
