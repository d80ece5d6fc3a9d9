/**
 * API Gateway's mapping templates (VTL): {@link dev.turnpike.mapping.MappingTemplate} parses one,
 * {@link dev.turnpike.mapping.TemplateInput} is what a rendering sees, {@link
 * dev.turnpike.mapping.Rendered} what it makes. Used by the control plane to validate templates at
 * save and run them in the console's test, and by the gateway to render them on calls.
 */
package dev.turnpike.mapping;
