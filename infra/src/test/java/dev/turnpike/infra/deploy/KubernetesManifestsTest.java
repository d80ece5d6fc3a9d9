package dev.turnpike.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.controlplane.ControlPlaneSettings;
import dev.turnpike.controlplane.console.ConsoleSettings;
import dev.turnpike.gateway.node.NodeSettings;
import dev.turnpike.metering.billing.BillingSettings;
import dev.turnpike.metering.node.MeteringSettings;
import dev.turnpike.portal.PortalSettings;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.settings.PublishedSecrets;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code infra/k8s/} parsed and checked: the files kustomize lists exist, each Deployment's image,
 * ports and environment satisfy the service's own settings parser, every ConfigMap and Secret key
 * referenced exists, Services and probes point at real ports, and the gateway's autoscaler and
 * disruption budget fit together. No cluster runs here; this is the check there is.
 */
class KubernetesManifestsTest {
  static final Path DIR = ServiceContracts.ROOT.resolve("infra/k8s");
  static final List<JsonNode> RESOURCES = load();

  static List<JsonNode> load() {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode file : YamlFiles.read(DIR.resolve("kustomization.yaml")).path("resources")) {
      all.addAll(YamlFiles.readAll(DIR.resolve(file.asText())));
    }
    return all;
  }

  @Nested
  class Files {
    @Test
    void kustomization_lists_existing_files_with_namespace_turnpike() {
      JsonNode kustomization = YamlFiles.read(DIR.resolve("kustomization.yaml"));
      assertThat(kustomization.path("namespace").asText()).isEqualTo("turnpike");
      for (JsonNode file : kustomization.path("resources")) {
        assertThat(DIR.resolve(file.asText())).isRegularFile();
      }
    }

    @Test
    void every_resource_has_api_version_kind_and_name() {
      SoftAssertions soft = new SoftAssertions();
      for (JsonNode resource : RESOURCES) {
        soft.assertThat(resource.path("apiVersion").asText()).as(resource.toString()).isNotBlank();
        soft.assertThat(resource.path("kind").asText()).as(resource.toString()).isNotBlank();
        soft.assertThat(resource.path("metadata").path("name").asText())
            .as(resource.toString())
            .isNotBlank();
      }
      soft.assertAll();
    }
  }

  @Nested
  class Deployments {
    @Test
    void each_service_has_a_deployment_with_the_image_compose_builds() {
      SoftAssertions soft = new SoftAssertions();
      for (ServiceContracts service : ComposeFileTest.inThisCheckout()) {
        String composeImage =
            YamlFiles.interpolate(
                ComposeFileTest.SERVICES.path(service.name()).path("image").asText(), Map.of());
        soft.assertThat(container(service.name()).path("image").asText())
            .as("image of deployment %s", service.name())
            .isEqualTo(composeImage);
      }
      soft.assertAll();
    }

    @Test
    void each_service_accepts_its_environment_and_listens_on_its_container_ports() {
      SoftAssertions soft = new SoftAssertions();
      for (ServiceContracts service : ComposeFileTest.inThisCheckout()) {
        assertThat(service.listenPorts())
            .as("%s is merged: give ServiceContracts its settings parser", service.name())
            .isNotNull();
        Set<Integer> listening = service.listenPorts().apply(environment(service.name(), soft));
        for (JsonNode port : container(service.name()).path("ports")) {
          soft.assertThat(listening)
              .as("%s container port %s", service.name(), port.path("name").asText())
              .contains(port.path("containerPort").asInt());
        }
      }
      soft.assertAll();
    }

    @Test
    void every_turnpike_variable_set_is_one_the_service_reads() {
      SoftAssertions soft = new SoftAssertions();
      for (ServiceContracts service : ComposeFileTest.inThisCheckout()) {
        Set<String> read = service.variablesRead();
        for (String name : environment(service.name(), soft).keySet()) {
          // Other names are the pod's own (POD_IP from the downward API, for $(POD_IP) below).
          if (name.startsWith("TURNPIKE_")) {
            soft.assertThat(read).as("%s reads %s", service.name(), name).contains(name);
          }
        }
      }
      soft.assertAll();
    }

    @Test
    void the_gateway_and_control_plane_run_the_strict_egress_policy() {
      SoftAssertions soft = new SoftAssertions();
      EgressDefaults.assertStrict(name -> environment(name, soft), soft);
      soft.assertAll();
    }

    @Test
    void each_service_sets_the_wiring_a_deployment_needs() {
      SoftAssertions soft = new SoftAssertions();
      for (ServiceContracts service : ComposeFileTest.inThisCheckout()) {
        soft.assertThat(environment(service.name(), soft).keySet())
            .as("%s environment", service.name())
            .containsAll(service.wiring());
      }
      soft.assertAll();
    }

    @Test
    void probes_use_named_ports_of_their_container() {
      SoftAssertions soft = new SoftAssertions();
      for (JsonNode deployment : ofKind("Deployment")) {
        for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
          Set<String> names = portNames(container);
          for (String probe : List.of("readinessProbe", "livenessProbe")) {
            soft.assertThat(container.path(probe).path("httpGet").path("port").asText())
                .as("%s of %s", probe, container.path("name").asText())
                .isIn(names);
          }
        }
      }
      soft.assertAll();
    }

    @Test
    void selectors_match_the_pod_labels() {
      for (JsonNode deployment : ofKind("Deployment")) {
        assertThat(labels(deployment.at("/spec/template/metadata/labels")))
            .containsAllEntriesOf(labels(deployment.at("/spec/selector/matchLabels")));
      }
    }
  }

  @Nested
  class Services {
    @Test
    void each_service_selects_a_deployment_and_targets_its_named_ports() {
      SoftAssertions soft = new SoftAssertions();
      for (JsonNode service : ofKind("Service")) {
        Map<String, String> selector = labels(service.at("/spec/selector"));
        Optional<JsonNode> target =
            ofKind("Deployment").stream()
                .filter(
                    d ->
                        labels(d.at("/spec/template/metadata/labels"))
                            .entrySet()
                            .containsAll(selector.entrySet()))
                .findFirst();
        soft.assertThat(target).as("deployment for service %s", name(service)).isPresent();
        target.ifPresent(
            deployment -> {
              Set<String> names = new HashSet<>();
              deployment
                  .at("/spec/template/spec/containers")
                  .forEach(c -> names.addAll(portNames(c)));
              for (JsonNode port : service.at("/spec/ports")) {
                soft.assertThat(port.path("targetPort").asText())
                    .as("target port of service %s", name(service))
                    .isIn(names);
              }
            });
      }
      soft.assertAll();
    }
  }

  /**
   * Keycloak is external: browsers sign in at its public URL (the issuer), pods reach it at its
   * address inside the cluster. The console, the portal and the token checks must all use the
   * inside one for their own calls.
   */
  @Nested
  class IdentityProvider {
    @Test
    void console_portal_and_token_checks_reach_the_same_realm_inside_the_cluster() {
      SoftAssertions soft = new SoftAssertions();
      ControlPlaneSettings cp =
          ControlPlaneSettings.fromEnvironment(environment("control-plane", soft));
      ConsoleSettings console = ConsoleSettings.fromEnvironment(environment("control-plane", soft));
      PortalSettings portal = PortalSettings.fromEnvironment(environment("portal", soft));
      soft.assertAll();
      String inside = console.oidcInternalUrl();

      assertThat(console.configured()).isTrue();
      assertThat(inside).isNotNull().isEqualTo(portal.oidcInternalUrl());
      assertThat(cp.oidcJwksUrl()).isEqualTo(inside + "/protocol/openid-connect/certs");
      assertThat(portal.oidcIssuer()).isEqualTo(cp.oidcIssuer());
      assertThat(URI.create(inside).getPath()).isEqualTo(URI.create(cp.oidcIssuer()).getPath());
    }
  }

  /**
   * Paid plans: the control plane asks metering's billing API for Stripe checkout sessions with the
   * token billing expects; Stripe calls billing's webhook.
   */
  @Nested
  class PaidPlans {
    @Test
    void the_control_plane_reaches_billing_through_the_metering_service() {
      SoftAssertions soft = new SoftAssertions();
      ControlPlaneSettings cp =
          ControlPlaneSettings.fromEnvironment(environment("control-plane", soft));
      BillingSettings billing = BillingSettings.fromEnvironment(environment("metering", soft));
      soft.assertAll();
      assertThat(cp.billingUrl()).isNotNull();
      URI url = URI.create(cp.billingUrl());

      JsonNode servicePort = servicePort(url.getHost(), url.getPort());
      JsonNode containerPort =
          portNamed(container(url.getHost()), servicePort.path("targetPort").asText());
      assertThat(containerPort.path("containerPort").asInt()).isEqualTo(billing.port());
    }

    @Test
    void control_plane_and_metering_read_the_internal_token_from_one_secret_key() {
      assertThat(secretKey("control-plane", "TURNPIKE_CP_BILLING_TOKEN"))
          .isEqualTo(secretKey("metering", "TURNPIKE_INTERNAL_TOKEN"));
      SoftAssertions soft = new SoftAssertions();
      ControlPlaneSettings cp =
          ControlPlaneSettings.fromEnvironment(environment("control-plane", soft));
      BillingSettings billing = BillingSettings.fromEnvironment(environment("metering", soft));
      soft.assertAll();
      assertThat(billing.internalToken()).isNotBlank();
      assertThat(cp.billingToken()).isEqualTo(billing.internalToken());
    }

    @Test
    void billing_runs_ledger_only_until_the_stripe_keys_are_in_the_secret() {
      SoftAssertions soft = new SoftAssertions();
      Map<String, String> ledgerOnly = environment("metering", soft);
      Map<String, String> withStripe =
          environment(
              "metering",
              soft,
              Map.of(
                  "TURNPIKE_STRIPE_API_KEY", "sk_test_stand_in",
                  "TURNPIKE_STRIPE_WEBHOOK_SECRET", "whsec_stand_in"));
      soft.assertAll();

      assertThat(BillingSettings.fromEnvironment(ledgerOnly).stripeConfigured()).isFalse();
      assertThat(BillingSettings.fromEnvironment(withStripe).stripeConfigured()).isTrue();
    }
  }

  /**
   * No secret ships with the manifests: the Secret is made from the operator's own file, and the
   * realm they tell the operator to import has no demo user, password grant or written secret.
   */
  @Nested
  class NoDemoSecrets {
    @Test
    void the_secret_is_made_from_the_operators_file_and_ships_no_value() {
      JsonNode kustomization = YamlFiles.read(DIR.resolve("kustomization.yaml"));
      JsonNode generator = kustomization.path("secretGenerator").path(0);

      assertThat(generator.path("name").asText()).isEqualTo("turnpike-secrets");
      assertThat(generator.path("envs").toString()).isEqualTo("[\"secrets.env\"]");
      assertThat(kustomization.at("/generatorOptions/disableNameSuffixHash").asBoolean()).isTrue();
      assertThat(ofKind("Secret")).as("a Secret written in the manifests").isEmpty();
      assertThat(secretExample())
          .isNotEmpty()
          .allSatisfy((key, value) -> assertThat(value).as(key).isEmpty());
    }

    @Test
    void every_secret_a_deployment_needs_is_a_key_of_the_operators_file() {
      SoftAssertions soft = new SoftAssertions();
      for (JsonNode deployment : ofKind("Deployment")) {
        for (JsonNode env : deployment.at("/spec/template/spec/containers/0/env")) {
          JsonNode ref = env.at("/valueFrom/secretKeyRef");
          if (!ref.isMissingNode() && !ref.path("optional").asBoolean(false)) {
            soft.assertThat(secretKeys())
                .as("%s reads %s", name(deployment), ref.path("key").asText())
                .contains(ref.path("key").asText());
          }
        }
      }
      soft.assertAll();
    }

    @Test
    void the_realm_to_import_is_the_production_one_and_its_variables_are_configured_keys() {
      JsonNode realm = ProductionRealmFile.read(ProductionRealmFile.FILE);
      Set<String> configured = new HashSet<>(secretKeys());
      one("ConfigMap", "turnpike-config")
          .path("data")
          .fieldNames()
          .forEachRemaining(configured::add);

      assertThat(ProductionRealmFile.problems(realm)).isEmpty();
      assertThat(configured).containsAll(ProductionRealmFile.variables(realm));
    }

    @Test
    void no_published_secret_or_demo_user_is_in_the_manifests() throws java.io.IOException {
      List<String> texts = new ArrayList<>();
      for (String file : List.of("kustomization.yaml", "secrets.env.example")) {
        texts.add(java.nio.file.Files.readString(DIR.resolve(file)));
      }
      for (JsonNode file : YamlFiles.read(DIR.resolve("kustomization.yaml")).path("resources")) {
        texts.add(java.nio.file.Files.readString(DIR.resolve(file.asText())));
      }
      List<String> published = new ArrayList<>();
      RESOURCES.forEach(resource -> collectPublished(resource, published));

      assertThat(published).isEmpty();
      assertThat(String.join("\n", texts))
          .doesNotContain("demo-owner", "demo-developer", "local-secret", "change-me");
    }

    private static void collectPublished(JsonNode node, List<String> found) {
      if (node.isTextual() && PublishedSecrets.isPublished(node.asText())) {
        found.add(node.asText());
      }
      node.forEach(child -> collectPublished(child, found));
    }
  }

  /** Every Kafka client logs in over TLS as its own service's user, which acls.sh names. */
  @Nested
  class KafkaTrust {
    @Test
    void each_service_logs_in_to_kafka_as_its_own_user_over_tls() {
      SoftAssertions soft = new SoftAssertions();
      Map<String, KafkaSecurity> security =
          Map.of(
              "control-plane",
              ControlPlaneSettings.fromEnvironment(environment("control-plane", soft))
                  .kafkaSecurity(),
              "gateway",
              NodeSettings.fromEnvironment(environment("gateway", soft)).kafkaSecurity(),
              "metering",
              MeteringSettings.fromEnvironment(environment("metering", soft)).kafkaSecurity());
      soft.assertAll();

      security.forEach(
          (service, kafka) -> {
            assertThat(kafka.protocol()).as(service).isEqualTo(KafkaSecurity.Protocol.SASL_SSL);
            assertThat(kafka.sasl().username()).as(service).isEqualTo("turnpike-" + service);
          });
      Set<String> passwordKeys = new HashSet<>();
      for (String service : security.keySet()) {
        passwordKeys.add(secretKey(service, "TURNPIKE_KAFKA_SASL_PASSWORD"));
      }
      assertThat(passwordKeys).as("one password per service").hasSize(3);
    }
  }

  /** Metering's billing API takes the internal token: nothing outside the cluster reaches it. */
  @Nested
  class Billing {
    @Test
    void the_billing_api_is_reachable_only_inside_the_cluster() {
      Map<String, String> meteringPods =
          labels(one("Deployment", "metering").at("/spec/template/metadata/labels"));
      for (JsonNode service : ofKind("Service")) {
        Map<String, String> selector = labels(service.at("/spec/selector"));
        if (meteringPods.entrySet().containsAll(selector.entrySet())) {
          assertThat(service.at("/spec/type").asText("ClusterIP"))
              .as("type of Service %s, which selects metering", name(service))
              .isEqualTo("ClusterIP");
        }
      }
      assertThat(ofKind("Ingress")).isEmpty();
    }
  }

  @Nested
  class GatewayScaling {
    @Test
    void the_autoscaler_scales_the_gateway_deployment_above_the_disruption_budget() {
      JsonNode hpa = one("HorizontalPodAutoscaler", "gateway");
      JsonNode pdb = one("PodDisruptionBudget", "gateway");
      JsonNode gateway = one("Deployment", "gateway");
      assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
      assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("gateway");
      assertThat(hpa.at("/spec/maxReplicas").asInt())
          .isGreaterThan(hpa.at("/spec/minReplicas").asInt());
      assertThat(labels(gateway.at("/spec/template/metadata/labels")))
          .containsAllEntriesOf(labels(pdb.at("/spec/selector/matchLabels")));
      // A voluntary eviction must always be possible, or node drains hang.
      assertThat(pdb.at("/spec/minAvailable").asInt())
          .isLessThan(hpa.at("/spec/minReplicas").asInt());
      assertThat(gateway.at("/spec/replicas").asInt())
          .isBetween(hpa.at("/spec/minReplicas").asInt(), hpa.at("/spec/maxReplicas").asInt());
      // The gateway's CPU request is what the utilisation target is measured against.
      assertThat(container("gateway").at("/resources/requests/cpu").asText()).isNotBlank();
    }
  }

  /** A deployment's environment, resolving ConfigMap and Secret references against config.yaml. */
  static Map<String, String> environment(String deployment, SoftAssertions soft) {
    return environment(deployment, soft, Map.of());
  }

  /**
   * Likewise, with {@code addedSecrets} as if they were in the Secret too: an optional reference to
   * a key the Secret lacks leaves its variable unset, as Kubernetes does.
   */
  static Map<String, String> environment(
      String deployment, SoftAssertions soft, Map<String, String> addedSecrets) {
    JsonNode configMap = one("ConfigMap", "turnpike-config").path("data");
    Map<String, String> secret = new HashMap<>(addedSecrets);
    secretKeys().forEach(key -> secret.put(key, "secret-" + key));
    Map<String, String> env = new HashMap<>();
    for (JsonNode variable : container(deployment).path("env")) {
      String name = variable.path("name").asText();
      JsonNode from = variable.path("valueFrom");
      String value;
      if (variable.has("value")) {
        value = variable.path("value").asText();
      } else if (from.has("configMapKeyRef")) {
        String key = from.at("/configMapKeyRef/key").asText();
        soft.assertThat(configMap.has(key)).as("ConfigMap key %s for %s", key, deployment).isTrue();
        soft.assertThat(from.at("/configMapKeyRef/name").asText()).isEqualTo("turnpike-config");
        value = configMap.path(key).asText();
      } else if (from.has("secretKeyRef")) {
        String key = from.at("/secretKeyRef/key").asText();
        soft.assertThat(from.at("/secretKeyRef/name").asText()).isEqualTo("turnpike-secrets");
        if (!secret.containsKey(key) && from.at("/secretKeyRef/optional").asBoolean(false)) {
          continue;
        }
        soft.assertThat(secret).as("Secret key %s for %s", key, deployment).containsKey(key);
        value = secret.get(key);
      } else if (from.has("fieldRef")) {
        value = deployment + "-pod";
      } else {
        soft.fail("%s: variable %s has no value", deployment, name);
        continue;
      }
      env.put(name, value);
    }
    return env;
  }

  /**
   * The keys of the Secret kustomize makes from the operator's {@code secrets.env}, as {@code
   * secrets.env.example} lists them (the optional ones commented out are left out).
   */
  static Map<String, String> secretExample() {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    try {
      for (String line : java.nio.file.Files.readAllLines(DIR.resolve("secrets.env.example"))) {
        if (!line.isBlank() && !line.startsWith("#")) {
          int equals = line.indexOf('=');
          keys.put(line.substring(0, equals), line.substring(equals + 1));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return keys;
  }

  static Set<String> secretKeys() {
    return secretExample().keySet();
  }

  /** The Secret key a deployment's variable is read from. */
  static String secretKey(String deployment, String variable) {
    for (JsonNode env : container(deployment).path("env")) {
      if (env.path("name").asText().equals(variable)) {
        String key = env.at("/valueFrom/secretKeyRef/key").asText("");
        assertThat(key).as("%s reads %s from the Secret", deployment, variable).isNotBlank();
        return key;
      }
    }
    throw new AssertionError(deployment + " does not set " + variable);
  }

  static JsonNode servicePort(String service, int port) {
    for (JsonNode candidate : one("Service", service).at("/spec/ports")) {
      if (candidate.path("port").asInt() == port) {
        return candidate;
      }
    }
    throw new AssertionError("Service " + service + " has no port " + port);
  }

  static JsonNode portNamed(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port;
      }
    }
    throw new AssertionError("container " + container.path("name") + " has no port " + name);
  }

  static JsonNode container(String deployment) {
    JsonNode containers = one("Deployment", deployment).at("/spec/template/spec/containers");
    assertThat(containers.size()).as("containers of %s", deployment).isEqualTo(1);
    return containers.get(0);
  }

  static JsonNode one(String kind, String name) {
    return ofKind(kind).stream()
        .filter(r -> name(r).equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in infra/k8s"));
  }

  static List<JsonNode> ofKind(String kind) {
    return RESOURCES.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
  }

  static String name(JsonNode resource) {
    return resource.at("/metadata/name").asText();
  }

  static Set<String> portNames(JsonNode container) {
    Set<String> names = new HashSet<>();
    container.path("ports").forEach(p -> names.add(p.path("name").asText()));
    return names;
  }

  static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new HashMap<>();
    node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }
}
