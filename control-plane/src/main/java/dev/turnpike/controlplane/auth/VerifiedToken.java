package dev.turnpike.controlplane.auth;

/**
 * The claims of a bearer token whose signature, issuer, audience and lifetime checked out.
 *
 * @param emailVerified whether the identity provider verified the email ({@code email_verified})
 */
public record VerifiedToken(
    String subject, String email, boolean emailVerified, String displayName) {}
