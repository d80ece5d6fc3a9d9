/**
 * Immutable maps that a new version of the configuration can share with the previous one, so
 * applying one record copies a small part of a large map rather than all of it.
 */
package dev.turnpike.gateway.snapshot;
