/** A stage's canary release: which side of the split serves a caller. */
package dev.turnpike.gateway.canary;
