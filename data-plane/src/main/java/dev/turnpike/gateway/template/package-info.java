/**
 * API Gateway's mapping templates on the gateway: request templates chosen by Content-Type with
 * their passthrough behaviour, integration responses chosen by selection pattern, their parameter
 * mappings and response templates, content handling between text and binary. Everything is compiled
 * once per deployment; rendering runs on a bounded worker pool ({@link
 * dev.turnpike.gateway.template.TemplateRenderer}), never on an event loop.
 */
package dev.turnpike.gateway.template;
