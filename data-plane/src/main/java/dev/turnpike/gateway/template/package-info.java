/**
 * API Gateway's mapping templates on the gateway: request templates chosen by Content-Type with
 * their passthrough behaviour, integration responses chosen by selection pattern, their parameter
 * mappings and response templates, content handling between text and binary. Everything is compiled
 * once per deployment; a rendering runs on the event loop only within a small inline budget, and a
 * template that ever runs past it renders on a bounded worker pool from then on ({@link
 * dev.turnpike.gateway.template.TemplateRenderer}).
 */
package dev.turnpike.gateway.template;
