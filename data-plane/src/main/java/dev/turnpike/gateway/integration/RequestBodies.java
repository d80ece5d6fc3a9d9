package dev.turnpike.gateway.integration;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Locale;

/** What a request's head says about its body, for the gateway's handler and its backend relay. */
public final class RequestBodies {

  private RequestBodies() {}

  /** Whether a body may follow the request's head, judged from the head alone. */
  public static boolean hasBody(HttpServerRequest in) {
    String length = in.getHeader("content-length");
    if (length != null) {
      return !length.equals("0");
    }
    if (in.version() == HttpVersion.HTTP_2) {
      return !in.isEnded();
    }
    String transferEncoding = in.getHeader("transfer-encoding");
    return transferEncoding != null
        && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked");
  }
}
