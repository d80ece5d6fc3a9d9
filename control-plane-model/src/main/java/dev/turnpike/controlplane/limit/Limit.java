package dev.turnpike.controlplane.limit;

/**
 * Every limit on what an owner (or a developer in an owner's portal) can create through the
 * management API, with the variable that sets it and its default. Every tenant is a stranger: none
 * of these may grow without bound, or one tenant could stall what all share (the database, the
 * config feed, the gateways' memory).
 *
 * <p>Defaults follow Amazon API Gateway's quotas where it has one, except where Turnpike promises
 * more (routes per API).
 */
public enum Limit {
  /** API Gateway: 600 regional REST APIs per account. */
  APIS_PER_TENANT("TURNPIKE_CP_LIMIT_APIS_PER_TENANT", "APIs per tenant", 600, 100_000),
  /**
   * API Gateway allows 300 resources per REST API (adjustable). Turnpike counts routes (method and
   * path) and must serve an API of 10,000 routes: the gateway benchmark routes 10,000, and an
   * import of 10,000 paths is measured to stay well under 5 s. Beyond that, the deployment record
   * the gateways receive and hold grows past what is tested.
   */
  ROUTES_PER_API("TURNPIKE_CP_LIMIT_ROUTES_PER_API", "routes per API", 10_000, 1_000_000),
  /** An import gives every route its own integration, so this is the routes' limit by default. */
  INTEGRATIONS_PER_API(
      "TURNPIKE_CP_LIMIT_INTEGRATIONS_PER_API", "integrations per API", 10_000, 1_000_000),
  /** API Gateway: 10 stages per API. */
  STAGES_PER_API("TURNPIKE_CP_LIMIT_STAGES_PER_API", "stages per API", 10, 10_000),
  /** API Gateway: 100 variables per stage (names up to 64 characters, values up to 512). */
  STAGE_VARIABLES("TURNPIKE_CP_LIMIT_STAGE_VARIABLES", "variables per stage", 100, 10_000),
  /** API Gateway: 300 usage plans per account. */
  USAGE_PLANS_PER_TENANT(
      "TURNPIKE_CP_LIMIT_USAGE_PLANS_PER_TENANT", "usage plans per tenant", 300, 100_000),
  /**
   * Developers create apps in the owner's portal; API Gateway's nearest quota is 10,000 API keys
   * per account.
   */
  APPS_PER_TENANT("TURNPIKE_CP_LIMIT_APPS_PER_TENANT", "apps per tenant", 10_000, 10_000_000),
  /**
   * Registered functions (issue 14). Lambda has no count quota (its limit is storage); 1,000 is far
   * more than the functions one API Gateway account's APIs front in practice.
   */
  FUNCTIONS_PER_TENANT(
      "TURNPIKE_CP_LIMIT_FUNCTIONS_PER_TENANT", "functions per tenant", 1_000, 1_000_000),
  /** API Gateway: 10 authorizers per API (adjustable). */
  AUTHORIZERS_PER_API("TURNPIKE_CP_LIMIT_AUTHORIZERS_PER_API", "authorizers per API", 10, 1_000),
  /** API Gateway: 120 custom domain names per account and Region (adjustable). */
  DOMAINS_PER_TENANT(
      "TURNPIKE_CP_LIMIT_DOMAINS_PER_TENANT", "custom domains per tenant", 120, 10_000),
  /** API Gateway: 200 API mappings per custom domain. */
  MAPPINGS_PER_DOMAIN(
      "TURNPIKE_CP_LIMIT_MAPPINGS_PER_DOMAIN", "base-path mappings per domain", 200, 10_000),
  MEMBERS_PER_TENANT("TURNPIKE_CP_LIMIT_MEMBERS_PER_TENANT", "members per tenant", 100, 100_000),
  /** API Gateway: an API definition file of at most 6 MB. */
  IMPORT_DOCUMENT_BYTES(
      "TURNPIKE_CP_LIMIT_IMPORT_DOCUMENT_BYTES",
      "bytes of an OpenAPI document",
      6 * 1024 * 1024,
      256 * 1024 * 1024),
  /**
   * How deep {@code $ref}s may nest where an import expands them (request body schemas); a schema
   * that refers to itself stops at its first repetition and needs no more.
   */
  REF_DEPTH("TURNPIKE_CP_LIMIT_REF_DEPTH", "nested $ref expansions", 32, 1_000),
  /**
   * Schema nodes an import may produce by expanding {@code $ref}s, over the whole document: a few
   * kilobytes of references that expand exponentially (a "billion laughs") are refused at this
   * count rather than filling the memory.
   */
  REF_EXPANDED_NODES(
      "TURNPIKE_CP_LIMIT_REF_EXPANDED_NODES",
      "schema objects and arrays after $ref expansion",
      250_000,
      100_000_000),
  /**
   * A mock integration's body, a gateway response's body, or one mapping template. API Gateway
   * allows 300 KB mapping templates; every body travels in each deployment record of the API, so
   * Turnpike's default is smaller.
   */
  RESPONSE_BODY_BYTES(
      "TURNPIKE_CP_LIMIT_RESPONSE_BODY_BYTES",
      "bytes of a mock or gateway response body or mapping template",
      64 * 1024,
      10 * 1024 * 1024);

  private final String setting;
  private final String description;
  private final int defaultMax;
  private final int highest;

  Limit(String setting, String description, int defaultMax, int highest) {
    this.setting = setting;
    this.description = description;
    this.defaultMax = defaultMax;
    this.highest = highest;
  }

  /** The variable that sets it. */
  public String setting() {
    return setting;
  }

  /** What it limits, e.g. "routes per API". */
  public String description() {
    return description;
  }

  public int defaultMax() {
    return defaultMax;
  }

  /** The largest value an operator may set. */
  public int highest() {
    return highest;
  }
}
