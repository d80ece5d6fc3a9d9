package dev.turnpike.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher and the Maven wrapper must find a JDK 21+ even when the default java is older. */
class FindJdkScriptTest {
  private static final Path SCRIPT = Path.of("..", ".mvn", "find-jdk.sh").toAbsolutePath();

  @Test
  void an_older_java_home_is_replaced_by_a_jdk_21_or_newer() throws Exception {
    String found =
        run(". '" + SCRIPT + "'; JAVA_HOME=/nonexistent; turnpike_find_jdk && echo \"$JAVA_HOME\"");
    Path foundJdk = Path.of(found.strip());
    assertThat(foundJdk.resolve("bin/javac")).isExecutable();
    assertThat(majorVersion(foundJdk)).isGreaterThanOrEqualTo(21);
  }

  @Test
  void a_folder_without_a_jdk_is_not_taken_for_one(@TempDir Path empty) throws Exception {
    String answer =
        run(". '" + SCRIPT + "'; turnpike_is_jdk21 '" + empty + "' && echo yes || echo no");
    assertThat(answer.strip()).isEqualTo("no");
  }

  private static int majorVersion(Path jdk) throws Exception {
    String out = run(". '" + SCRIPT + "'; turnpike_java_major '" + jdk.resolve("bin/java") + "'");
    return Integer.parseInt(out.strip());
  }

  private static String run(String shell) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(List.of("sh", "-c", shell)).redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
