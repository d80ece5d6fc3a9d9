package dev.turnpike.contracts.config;

/**
 * The function an {@link IntegrationType#AWS_PROXY} integration invokes, resolved at deployment
 * from the tenant's function registry with the deploying stage's variables, so the gateway needs no
 * lookup at request time; a function re-registered under another URL takes effect on the next
 * deployment, as the rest of a definition does.
 *
 * <p>The gateway POSTs the proxy event to {@code invokeUrl + "/2015-03-31/functions/function/
 * invocations"}: Lambda's Invoke API as the Runtime Interface Emulator in every Lambda base image
 * serves it.
 *
 * @param name the Lambda function name (an alias as {@code name:alias}), for logs and messages
 * @param invokeUrl the function endpoint's origin, {@code http(s)://host:port} with an optional
 *     path prefix and no trailing slash; literal (stage variables were resolved at deployment)
 * @param timeoutMillis the function's own timeout; the gateway waits the smaller of this and the
 *     integration's {@code timeoutMillis}; 0 for none of its own
 * @param payloadFormatVersion {@value #PAYLOAD_1_0} (the REST API proxy event) or {@value
 *     #PAYLOAD_2_0} (the HTTP API event); null reads as {@value #PAYLOAD_1_0}
 */
public record FunctionTarget(
    String name, String invokeUrl, int timeoutMillis, String payloadFormatVersion) {
  public static final String PAYLOAD_1_0 = "1.0";
  public static final String PAYLOAD_2_0 = "2.0";

  public FunctionTarget {
    payloadFormatVersion = payloadFormatVersion == null ? PAYLOAD_1_0 : payloadFormatVersion;
  }
}
