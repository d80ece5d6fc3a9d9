package dev.turnpike.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** infra/README.md promises to list every setting; this keeps the promise as code changes. */
class InfraReadmeTest {
  final String readme = read();

  @Test
  void every_setting_the_launcher_reads_is_listed() {
    ServiceContracts launcher =
        new ServiceContracts(
            "launcher",
            "infra",
            List.of("infra"),
            "dev.turnpike.platform.PlatformMain",
            null,
            Set.of());
    assertThat(unlisted(launcher.variablesRead())).isEmpty();
  }

  @Test
  void every_setting_each_service_reads_is_listed() {
    Set<String> read = new TreeSet<>();
    for (ServiceContracts service : ComposeFileTest.inThisCheckout()) {
      read.addAll(service.variablesRead());
    }
    assertThat(read).isNotEmpty();
    assertThat(unlisted(read)).isEmpty();
  }

  private Set<String> unlisted(Set<String> names) {
    Set<String> missing = new TreeSet<>();
    for (String name : names) {
      if (!readme.contains("`" + name + "`")) {
        missing.add(name);
      }
    }
    return missing;
  }

  private static String read() {
    try {
      return Files.readString(ServiceContracts.ROOT.resolve("infra/README.md"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
