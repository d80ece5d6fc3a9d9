package dev.turnpike.controlplane.auth;

/** The claims of a bearer token whose signature, issuer, audience and lifetime checked out. */
public record VerifiedToken(String subject, String email, String displayName) {}
