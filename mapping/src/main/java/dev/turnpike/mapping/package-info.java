/**
 * API Gateway's mapping templates (VTL): {@link dev.turnpike.mapping.MappingTemplate} parses one,
 * {@link dev.turnpike.mapping.TemplateInput} is what a rendering sees, {@link
 * dev.turnpike.mapping.Rendered} what it makes. Used by the control plane to validate templates at
 * save and run them in the console's test, and by the gateway to render them on calls. Rendering is
 * synchronous and bounded by a {@link dev.turnpike.mapping.TemplateBudget} (100 ms by default), so
 * the gateway may render on its event loop; a template that runs past its budget is a {@link
 * dev.turnpike.mapping.Rendered.Failed} for that call only.
 */
package dev.turnpike.mapping;
