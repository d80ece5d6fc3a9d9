/**
 * Request routing for the gateway's hot path: which stage a request addresses ({@link
 * dev.turnpike.gateway.routing.GatewayAddressParser}) and which route of that stage it matches
 * ({@link dev.turnpike.gateway.routing.RouteTable}).
 *
 * <p>Tables are built once per config snapshot and never change, so matching needs no lock and
 * every event loop can share them. A {@code {param}} and a {@code {proxy+}} may be siblings here,
 * with the param tried first; API Gateway itself refuses that pair ("only one variable path part
 * per level"), so every configuration it accepts routes identically here, and an OpenAPI document
 * written by hand with both still gets a well-defined precedence.
 */
package dev.turnpike.gateway.routing;
