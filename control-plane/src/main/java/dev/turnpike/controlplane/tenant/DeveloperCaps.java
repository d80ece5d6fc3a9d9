package dev.turnpike.controlplane.tenant;

/**
 * What an owner allows each of their developers: keys per app and apps per person. A null value
 * takes the platform's default.
 */
public record DeveloperCaps(Integer keysPerApp, Integer appsPerDeveloper) {}
