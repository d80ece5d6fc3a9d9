package dev.turnpike.testkit.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * One module's main classes, and nothing else: the classes that sit in the same output folder (or
 * jar) as the given class. Importing by package would also pick up classes other modules put in the
 * same package on the test classpath, and test classes.
 */
public final class ModuleClasses {

  private ModuleClasses() {}

  /** Imports every class compiled into the same folder or jar as {@code anyMainClass}. */
  public static JavaClasses of(Class<?> anyMainClass) {
    var source = anyMainClass.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IllegalArgumentException(anyMainClass + " has no code source to import from");
    }
    try {
      JavaClasses classes =
          new ClassFileImporter()
              .importLocations(Set.of(Location.of(source.getLocation().toURI())));
      if (classes.isEmpty()) {
        throw new IllegalStateException("no classes found beside " + anyMainClass.getName());
      }
      return classes;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(source.getLocation().toString(), e);
    }
  }
}
