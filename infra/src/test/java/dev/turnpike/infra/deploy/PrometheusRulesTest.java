package dev.turnpike.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus rules and Grafana dashboard: valid for the real {@code promtool}, every
 * alert unit-tested, and every metric they read one that a Turnpike service exports (a renamed
 * meter would otherwise leave an alert that can never fire).
 */
class PrometheusRulesTest {
  private static final Path RULES_DIR = ServiceContracts.ROOT.resolve("infra/prometheus");
  private static final Path RULES = RULES_DIR.resolve("turnpike.rules.yml");
  private static final Path RULE_TESTS = RULES_DIR.resolve("turnpike.rules.test.yml");
  private static final Path DASHBOARD =
      ServiceContracts.ROOT.resolve("infra/grafana/turnpike-operators.json");
  private static final List<String> MODULES =
      List.of("data-plane", "control-plane", "metering", "console", "portal-web", "web-kit");

  /** A series name Turnpike exports, as Prometheus spells it. */
  private static final Pattern SERIES = Pattern.compile("\\bturnpike_[a-z0-9_]+");

  /** What Micrometer's Prometheus registry appends to a meter's name. */
  private static final Pattern SUFFIXES =
      Pattern.compile("(_seconds|_bytes)?(_total|_bucket|_count|_sum|_max)?$");

  @Test
  void promtool_accepts_the_rules() throws Exception {
    String out = promtool("check", "rules", RULES.toString());

    assertThat(out).contains("SUCCESS");
  }

  @Test
  void every_alert_passes_its_promtool_unit_tests() throws Exception {
    String out = promtool("test", "rules", RULE_TESTS.getFileName().toString());

    assertThat(out).contains("SUCCESS");
  }

  @Test
  void every_alert_has_a_unit_test_that_expects_it_to_fire() {
    Set<String> alerts = new TreeSet<>();
    for (JsonNode group : YamlFiles.read(RULES).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          alerts.add(rule.path("alert").asText());
        }
      }
    }
    Set<String> firing = new TreeSet<>();
    for (JsonNode test : YamlFiles.read(RULE_TESTS).path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        if (!check.path("exp_alerts").isEmpty()) {
          firing.add(check.path("alertname").asText());
        }
      }
    }

    assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
    assertThat(firing).containsAll(alerts);
  }

  @Test
  void the_rules_and_the_dashboard_read_only_metrics_the_services_export() throws Exception {
    String exported = mainSources();
    List<String> texts = new ArrayList<>();
    for (JsonNode group : YamlFiles.read(RULES).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        texts.add(rule.path("expr").asText());
      }
    }
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        texts.add(target.path("expr").asText());
      }
    }

    Set<String> unknown = new TreeSet<>();
    Set<String> read = new TreeSet<>();
    for (String text : texts) {
      Matcher series = SERIES.matcher(text);
      while (series.find()) {
        String meter = SUFFIXES.matcher(series.group()).replaceFirst("");
        read.add(meter);
        if (!exported.contains('"' + meter + '"')
            && !exported.contains('"' + meter.replace('_', '.') + '"')) {
          unknown.add(series.group());
        }
      }
    }

    assertThat(read).contains("turnpike_gateway_requests", "turnpike_metering_lag_records");
    assertThat(unknown).as("series no service exports").isEmpty();
  }

  @Test
  void the_dashboard_reads_the_recording_rules_by_their_names() throws Exception {
    Set<String> recorded = new TreeSet<>();
    for (JsonNode group : YamlFiles.read(RULES).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("record")) {
          recorded.add(rule.path("record").asText());
        }
      }
    }
    String dashboard = Files.readString(DASHBOARD);
    Matcher used = Pattern.compile("turnpike:[a-z0-9_:]+").matcher(dashboard);
    Set<String> unknown = new TreeSet<>();
    while (used.find()) {
      if (!recorded.contains(used.group())) {
        unknown.add(used.group());
      }
    }

    assertThat(recorded).isNotEmpty();
    assertThat(unknown).as("recording rules the dashboard reads but the rules lack").isEmpty();
  }

  /** Runs the real promtool in the rules' directory (Debian's prometheus package; .ci/run). */
  private static String promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(promtoolPath());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(RULES_DIR.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(process.exitValue()).as("promtool's exit status; it said:%n%s", out).isZero();
    return out;
  }

  private static String promtoolPath() {
    String configured = System.getenv("TURNPIKE_PROMTOOL");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        "promtool is not installed: install Debian's prometheus package (.ci/run does) or set"
            + " TURNPIKE_PROMTOOL to a promtool binary");
  }

  private static String mainSources() throws IOException {
    StringBuilder all = new StringBuilder();
    for (String module : MODULES) {
      Path sources = ServiceContracts.ROOT.resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(sources)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(sources)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          all.append(Files.readString(file)).append('\n');
        }
      }
    }
    return all.toString();
  }
}
