package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.egress.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code x-amazon-apigateway-policy}: API Gateway resource policies whose statements only let
 * anyone invoke the whole API ({@code execute-api:Invoke}) under {@code aws:SourceIp} conditions,
 * read as allow and deny lists, and written back as such a policy.
 *
 * <p>A policy admits a caller when some Allow statement matches it and no Deny statement does. As
 * lists: an unconditional Allow admits everyone, Allow + {@code IpAddress} X admits X, a single
 * Allow + {@code NotIpAddress} X admits everyone but X (deny X); Deny + {@code IpAddress} X denies
 * X, Deny + {@code NotIpAddress} X admits only X (the allow list narrowed to X), an unconditional
 * Deny denies everyone. Anything else (other actions, principals, resources, condition keys or
 * operators, {@code Not*} elements) would be dropped or widened if imported, so it is refused with
 * what is not supported named.
 */
final class ResourcePolicyReader {
  static final String FIELD = "x-amazon-apigateway-policy";

  private static final List<String> EVERYONE = List.of("0.0.0.0/0", "::/0");
  private static final Pattern WHOLE_API_ARN =
      Pattern.compile("arn:aws[\\w-]*:execute-api:[^:]*:[^:]*:[^/]+/\\*");
  private static final Set<String> STATEMENT_FIELDS =
      Set.of("Sid", "Effect", "Principal", "Action", "Resource", "Condition");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final List<String> allowIps = new ArrayList<>();
  private final List<List<String>> allowNotIps = new ArrayList<>();
  private final List<String> denyIps = new ArrayList<>();
  private final List<List<String>> denyNotIps = new ArrayList<>();
  private boolean allowAll;
  private boolean denyAll;
  private boolean anyAllow;

  private ResourcePolicyReader() {}

  /** The document's policy as lists; null when it has none (or one that is refused). */
  static SourceIpPolicy read(Node document) {
    Node policy = document.member(FIELD);
    if (policy.isMissing()) {
      return null;
    }
    int errorsBefore = policy.findings().errorCount();
    ResourcePolicyReader reader = new ResourcePolicyReader();
    Node statements = policy.object().member("Statement");
    if (statements.isMissing()) {
      statements.error("is required: a policy is a list of statements");
      return null;
    }
    for (var member : policy.members()) {
      if (!member.getKey().equals("Version")
          && !member.getKey().equals("Statement")
          && !member.getKey().equals("Id")) {
        member.getValue().error("is not supported in a resource policy here");
      }
    }
    if (statements.value().isObject()) {
      reader.statement(statements);
    } else {
      statements.elements().forEach(reader::statement);
    }
    if (policy.findings().errorCount() > errorsBefore) {
      return null;
    }
    return reader.lists(policy);
  }

  private void statement(Node statement) {
    statement.object();
    for (var member : statement.members()) {
      if (!STATEMENT_FIELDS.contains(member.getKey())) {
        member
            .getValue()
            .error(
                "'"
                    + member.getKey()
                    + "' is not supported: only Effect, Principal \"*\", Action"
                    + " execute-api:Invoke, the whole API as Resource and aws:SourceIp"
                    + " conditions are");
      }
    }
    String effect = statement.member("Effect").text();
    if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
      statement.member("Effect").error("must be Allow or Deny");
      return;
    }
    principal(statement.member("Principal"));
    actions(statement.member("Action"));
    resources(statement.member("Resource"));
    Condition condition = condition(statement.member("Condition"));
    if (condition == null) {
      return;
    }
    boolean allow = effect.equals("Allow");
    anyAllow |= allow;
    switch (condition.operator()) {
      case NONE -> {
        if (allow) {
          allowAll = true;
        } else {
          denyAll = true;
        }
      }
      case IP_ADDRESS -> (allow ? allowIps : denyIps).addAll(condition.cidrs());
      case NOT_IP_ADDRESS -> (allow ? allowNotIps : denyNotIps).add(condition.cidrs());
    }
  }

  private static void principal(Node principal) {
    if (principal.isMissing()) {
      principal.error("is required: use \"*\" (anyone may call, as far as the addresses allow)");
      return;
    }
    if (principal.value().isTextual() && principal.value().textValue().equals("*")) {
      return;
    }
    Node aws = principal.member("AWS");
    if (principal.value().isObject()
        && principal.value().size() == 1
        && aws.value() != null
        && aws.value().isTextual()
        && aws.value().textValue().equals("*")) {
      return;
    }
    principal.error(
        "only \"*\" is supported: Turnpike cannot tell AWS accounts, users or roles apart");
  }

  private static void actions(Node action) {
    List<Node> actions =
        action.value() != null && action.value().isArray() ? action.elements() : List.of(action);
    if (action.isMissing()) {
      action.error("is required: use execute-api:Invoke");
      return;
    }
    for (Node one : actions) {
      String text = one.text();
      if (text != null && !text.equalsIgnoreCase("execute-api:Invoke")) {
        one.error("'" + text + "' is not supported: only execute-api:Invoke is");
      }
    }
  }

  private static void resources(Node resource) {
    if (resource.isMissing()) {
      resource.error("is required: use execute-api:/* (the whole API)");
      return;
    }
    List<Node> resources = resource.value().isArray() ? resource.elements() : List.of(resource);
    for (Node one : resources) {
      String text = one.text();
      if (text != null
          && !text.equals("*")
          && !text.equals("execute-api:/*")
          && !WHOLE_API_ARN.matcher(text).matches()) {
        one.error(
            "'"
                + text
                + "' names part of the API: only the whole API (execute-api:/*) is supported");
      }
    }
  }

  private enum Operator {
    NONE,
    IP_ADDRESS,
    NOT_IP_ADDRESS
  }

  private record Condition(Operator operator, List<String> cidrs) {}

  private static Condition condition(Node condition) {
    if (condition.isMissing()) {
      return new Condition(Operator.NONE, List.of());
    }
    List<java.util.Map.Entry<String, Node>> operators = condition.object().members();
    if (operators.size() != 1) {
      condition.error("must hold exactly one operator, IpAddress or NotIpAddress, on aws:SourceIp");
      return null;
    }
    String name = operators.getFirst().getKey();
    Node operands = operators.getFirst().getValue();
    Operator operator =
        switch (name) {
          case "IpAddress" -> Operator.IP_ADDRESS;
          case "NotIpAddress" -> Operator.NOT_IP_ADDRESS;
          default -> null;
        };
    if (operator == null) {
      operands.error(
          "the condition operator '"
              + name
              + "' is not supported: only IpAddress and NotIpAddress on aws:SourceIp are");
      return null;
    }
    List<java.util.Map.Entry<String, Node>> keys = operands.object().members();
    List<String> cidrs = new ArrayList<>();
    for (var key : keys) {
      if (!key.getKey().toLowerCase(Locale.ROOT).equals("aws:sourceip")) {
        key.getValue()
            .error(
                "the condition key '" + key.getKey() + "' is not supported: only aws:SourceIp is");
        return null;
      }
      Node values = key.getValue();
      List<Node> each = values.value().isArray() ? values.elements() : List.of(values);
      for (Node value : each) {
        String cidr = value.text();
        if (cidr == null) {
          continue;
        }
        try {
          Cidr.parse(cidr.strip());
          cidrs.add(cidr.strip());
        } catch (IllegalArgumentException e) {
          value.error(e.getMessage());
        }
      }
    }
    if (keys.isEmpty()) {
      operands.error("must name aws:SourceIp");
      return null;
    }
    return new Condition(operator, cidrs);
  }

  /** The statements as one allow list and one deny list; null (an error) when none can say it. */
  private SourceIpPolicy lists(Node policy) {
    if (denyAll || !anyAllow) {
      // An unconditional Deny, or no Allow at all (API Gateway's implicit deny): nobody.
      return new SourceIpPolicy(List.of(), EVERYONE);
    }
    Set<String> deny = new LinkedHashSet<>(denyIps);
    List<String> allow;
    if (allowAll) {
      allow = List.of();
    } else if (!allowNotIps.isEmpty()) {
      if (allowNotIps.size() > 1 || !allowIps.isEmpty()) {
        policy
            .member("Statement")
            .error(
                "Allow statements with NotIpAddress can only stand alone: together with other"
                    + " Allow statements they admit more than one allow and one deny list can say");
        return null;
      }
      allow = List.of();
      deny.addAll(allowNotIps.getFirst());
    } else {
      allow = List.copyOf(new LinkedHashSet<>(allowIps));
    }
    boolean narrowed = false;
    for (List<String> only : denyNotIps) {
      allow = narrowed || !allow.isEmpty() ? intersection(allow, only) : List.copyOf(only);
      narrowed = true;
      if (allow.isEmpty()) {
        return new SourceIpPolicy(List.of(), EVERYONE);
      }
    }
    return new SourceIpPolicy(allow, List.copyOf(deny));
  }

  /** The blocks in both lists: of two overlapping CIDR blocks, the smaller one. */
  static List<String> intersection(List<String> first, List<String> second) {
    Set<String> both = new LinkedHashSet<>();
    for (String a : first) {
      Cidr blockA = Cidr.parse(a);
      for (String b : second) {
        Cidr blockB = Cidr.parse(b);
        if (within(blockA, blockB)) {
          both.add(a);
        } else if (within(blockB, blockA)) {
          both.add(b);
        }
      }
    }
    return List.copyOf(both);
  }

  private static boolean within(Cidr inner, Cidr outer) {
    return outer.prefixLength() <= inner.prefixLength() && outer.contains(inner.networkBytes());
  }

  /**
   * The policy API Gateway would apply for {@code policy}: anyone may invoke, then a Deny of the
   * denied blocks and a Deny of everything outside the allowed ones; null when it has no rule.
   */
  static ObjectNode write(SourceIpPolicy policy) {
    if (policy == null || policy.isEmpty()) {
      return null;
    }
    ObjectNode document = NODES.objectNode();
    document.put("Version", "2012-10-17");
    ArrayNode statements = document.putArray("Statement");
    statements.add(statement("Allow", null, List.of()));
    if (!policy.denyCidrs().isEmpty()) {
      statements.add(statement("Deny", "IpAddress", policy.denyCidrs()));
    }
    if (!policy.allowCidrs().isEmpty()) {
      statements.add(statement("Deny", "NotIpAddress", policy.allowCidrs()));
    }
    return document;
  }

  private static ObjectNode statement(String effect, String operator, List<String> cidrs) {
    ObjectNode statement = NODES.objectNode();
    statement.put("Effect", effect);
    statement.put("Principal", "*");
    statement.put("Action", "execute-api:Invoke");
    statement.put("Resource", "execute-api:/*");
    if (operator != null) {
      ArrayNode ips = statement.putObject("Condition").putObject(operator).putArray("aws:SourceIp");
      cidrs.forEach(ips::add);
    }
    return statement;
  }
}
