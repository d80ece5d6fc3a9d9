package dev.turnpike.gateway.routing;

/**
 * Which stage a request addresses, and the path below it.
 *
 * @param tenant the tenant slug
 * @param api the API slug
 * @param stage the stage name
 * @param path the raw (still percent-encoded) path below the stage; always starts with '/', and the
 *     stage root is "/"
 */
public record GatewayAddress(String tenant, String api, String stage, String path) {}
