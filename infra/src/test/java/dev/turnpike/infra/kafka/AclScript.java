package dev.turnpike.infra.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs {@code infra/kafka/acls.sh} gives the services, read back from the kafka-acls.sh
 * commands it prints: what a test applies is exactly what an operator would run.
 */
final class AclScript {
  static final Path SCRIPT = findScript();

  private AclScript() {}

  /** The bindings the script adds, with {@code principals} set as its environment says. */
  static List<AclBinding> bindings(Map<String, String> principals) {
    List<AclBinding> bindings = new ArrayList<>();
    for (String command : print(principals)) {
      bindings.add(parse(command));
    }
    return bindings;
  }

  static List<String> print(Map<String, String> environment) {
    try {
      ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString(), "print");
      builder.environment().putAll(environment);
      builder.redirectErrorStream(true);
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(SCRIPT + " print failed:\n" + out);
      }
      return out.lines().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + SCRIPT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One {@code kafka-acls.sh ... --add ...} command as the binding it adds. */
  static AclBinding parse(String command) {
    List<String> words = Arrays.asList(command.trim().split("\\s+"));
    if (!words.get(0).endsWith("kafka-acls.sh") || !words.contains("--add")) {
      throw new IllegalArgumentException("not a kafka-acls.sh --add command: " + command);
    }
    String principal = null;
    AclOperation operation = null;
    ResourceType type = null;
    String name = null;
    PatternType pattern = PatternType.LITERAL;
    for (int i = 1; i < words.size(); i++) {
      String flag = words.get(i);
      switch (flag) {
        case "--add" -> {}
        case "--bootstrap-server", "--command-config" -> i++;
        case "--allow-principal" -> principal = words.get(++i);
        case "--operation" -> operation = operation(words.get(++i));
        case "--topic", "--group", "--transactional-id" -> {
          type = ResourceType.fromString(flag.substring(2).replace('-', '_'));
          name = words.get(++i);
        }
        case "--resource-pattern-type" ->
            pattern = PatternType.fromString(words.get(++i).toUpperCase(Locale.ROOT));
        default -> throw new IllegalArgumentException("unexpected " + flag + " in " + command);
      }
    }
    if (principal == null || operation == null || type == null) {
      throw new IllegalArgumentException("incomplete ACL command: " + command);
    }
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }

  /** kafka-acls.sh spells operations in camel case: Read, IdempotentWrite. */
  private static AclOperation operation(String word) {
    AclOperation operation =
        AclOperation.fromString(
            word.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    if (operation == AclOperation.UNKNOWN) {
      throw new IllegalArgumentException("unknown operation " + word);
    }
    return operation;
  }

  private static Path findScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("infra/kafka/acls.sh");
      if (Files.isRegularFile(script)) {
        return script;
      }
    }
    throw new IllegalStateException("no infra/kafka/acls.sh above the working folder");
  }
}
