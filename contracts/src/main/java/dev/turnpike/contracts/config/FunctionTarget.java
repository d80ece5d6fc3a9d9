package dev.turnpike.contracts.config;

/**
 * The function an {@link IntegrationType#AWS_PROXY} integration invokes, resolved by the control
 * plane when the API is deployed: the integration's function reference (a Lambda function name,
 * possibly {@code name:alias} or holding {@code ${stageVariables.x}}) is looked up in the tenant's
 * function registry with the deploying stage's variables, so the gateway needs no registry and no
 * resolution on the hot path. A function re-registered under another URL takes effect on the next
 * deployment, as the rest of a definition does.
 *
 * @param name the registered function the reference resolved to, e.g. {@code orders} or {@code
 *     orders:live}
 * @param invokeUrl the base URL of a Lambda Invoke API endpoint (a Runtime Interface Emulator, as
 *     every AWS Lambda base image serves it); the gateway POSTs the event to {@code
 *     {invokeUrl}/2015-03-31/functions/function/invocations}, through the egress policy
 * @param timeoutMillis how long the gateway waits for the function: the smaller of the
 *     integration's timeout and the function's registered timeout (50 to 29,000)
 * @param payloadFormatVersion the event's shape: {@code "1.0"} (REST API proxy event) or {@code
 *     "2.0"} (HTTP API event)
 */
public record FunctionTarget(
    String name, String invokeUrl, int timeoutMillis, String payloadFormatVersion) {
  /** The REST API's Lambda proxy event. */
  public static final String PAYLOAD_1_0 = "1.0";

  /** The HTTP API's Lambda proxy event. */
  public static final String PAYLOAD_2_0 = "2.0";

  public FunctionTarget {
    payloadFormatVersion = payloadFormatVersion == null ? PAYLOAD_1_0 : payloadFormatVersion;
  }
}
