package dev.turnpike.controlplane.function;

import dev.turnpike.controlplane.function.web.FunctionEndpoints;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;

/** Wires the function registry (issue 14) into the control plane. */
public final class FunctionFeature {
  private FunctionFeature() {}

  public static Endpoints endpoints(Http http, Functions functions) {
    return new FunctionEndpoints(http, functions);
  }
}
