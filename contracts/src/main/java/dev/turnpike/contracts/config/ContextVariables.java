package dev.turnpike.contracts.config;

import java.util.List;
import java.util.Set;

/**
 * The {@code $context} variables the gateway fills for a call: the one list both the control plane
 * (which refuses a parameter mapping or template naming any other {@code context.X}) and the
 * gateway (which fills every one of them) read, so a mapping that deploys never fails at call time
 * for a variable nobody fills. Names as API Gateway spells them, without the {@code context.}
 * prefix.
 */
public final class ContextVariables {
  /** Every variable with a fixed name, in the order the docs list them. */
  public static final List<String> NAMES =
      List.of(
          "requestId",
          "extendedRequestId",
          "apiId",
          "stage",
          "resourcePath",
          "resourceId",
          "httpMethod",
          "path",
          "protocol",
          "requestTime",
          "requestTimeEpoch",
          "domainName",
          "domainPrefix",
          "isCanaryRequest",
          "identity.sourceIp",
          "identity.userAgent",
          "identity.apiKey",
          "identity.apiKeyId",
          "identity.clientCert.clientCertPem",
          "identity.clientCert.subjectDN",
          "identity.clientCert.issuerDN",
          "identity.clientCert.serialNumber",
          "identity.clientCert.validity.notBefore",
          "identity.clientCert.validity.notAfter",
          "authorizer.principalId");

  /**
   * A JWT's claims ({@code authorizer.claims.sub}) and a Lambda authorizer's context values ({@code
   * authorizer.tier}): any name under these, which is empty when the call has none.
   */
  public static final List<String> PREFIXES = List.of("authorizer.claims.", "authorizer.");

  /**
   * The variables a Lambda authorizer's identity sources may name: those known before the
   * authorizer runs (so no {@code authorizer.*}, and no API key, which a key source of {@code
   * AUTHORIZER} takes from the authorizer's answer). The control plane refuses any other {@code
   * context.X} source when an authorizer is saved; the gateway reads exactly these.
   */
  public static final List<String> IDENTITY_SOURCE_NAMES =
      List.of(
          "apiId",
          "stage",
          "httpMethod",
          "resourcePath",
          "path",
          "requestId",
          "extendedRequestId",
          "domainName",
          "identity.sourceIp",
          "identity.userAgent");

  private static final Set<String> FIXED = Set.copyOf(NAMES);

  private ContextVariables() {}

  /**
   * @param name without the {@code context.} prefix, e.g. {@code identity.sourceIp}
   */
  public static boolean isFilled(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    if (FIXED.contains(name)) {
      return true;
    }
    for (String prefix : PREFIXES) {
      if (name.length() > prefix.length() && name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param name without the {@code context.} prefix
   * @return whether an authorizer's identity source may name it
   */
  public static boolean isIdentitySource(String name) {
    return IDENTITY_SOURCE_NAMES.contains(name);
  }
}
