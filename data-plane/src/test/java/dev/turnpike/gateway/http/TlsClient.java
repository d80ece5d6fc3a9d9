package dev.turnpike.gateway.http;

import dev.turnpike.gateway.domain.CertificateAuthority;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS client that says exactly what a test asks: the SNI name, the protocol versions, the ALPN
 * offer and the client certificate, on a real socket to loopback, and then HTTP/1.1 requests
 * written by hand (any Host header, keep-alive). It accepts any server certificate and reports the
 * one it got, which is what the tests check.
 */
public final class TlsClient implements AutoCloseable {
  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;

  public record Answer(int status, Map<String, String> headers, String body) {}

  private TlsClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects and completes the handshake.
   *
   * @param serverName the SNI name, null to send none
   * @param protocols e.g. {@code TLSv1.2}
   * @param clientCert null to present none
   * @throws IOException when the handshake fails
   */
  public static TlsClient connect(
      int port,
      String serverName,
      List<String> protocols,
      List<String> alpn,
      CertificateAuthority.Issued clientCert)
      throws Exception {
    SSLSocket socket = (SSLSocket) context(clientCert).getSocketFactory().createSocket();
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(30_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(
        serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    parameters.setProtocols(protocols.toArray(String[]::new));
    parameters.setApplicationProtocols(alpn.toArray(String[]::new));
    socket.setSSLParameters(parameters);
    try {
      // Under TLS 1.3 a server refuses a client certificate after the client's Finished, so such a
      // refusal shows up on the first read rather than here.
      socket.startHandshake();
      return new TlsClient(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  public static TlsClient connect(int port, String serverName) throws Exception {
    return connect(port, serverName, List.of("TLSv1.3", "TLSv1.2"), List.of("http/1.1"), null);
  }

  /** The leaf certificate the server presented. */
  public X509Certificate serverCertificate() throws Exception {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }

  public String protocol() {
    return socket.getSession().getProtocol();
  }

  public String applicationProtocol() {
    return socket.getApplicationProtocol();
  }

  /**
   * Starts a new handshake on this connection, as a client renegotiating TLS 1.2 does; the JDK
   * sends its ClientHello and returns without waiting for the server's answer.
   */
  public void renegotiate() throws IOException {
    socket.startHandshake();
  }

  /** One GET on this connection, keeping it open; {@code host} is the Host header. */
  public Answer get(String host, String target) throws IOException {
    String request =
        "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: keep-alive\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("the server closed the connection");
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String header = line(); header != null && !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size = chunkSize(); size > 0; size = chunkSize()) {
        chunks.write(in.readNBytes(size));
        line();
      }
      line();
      body = chunks.toByteArray();
    } else {
      body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    }
    return new Answer(
        Integer.parseInt(statusLine.split(" ")[1]),
        headers,
        new String(body, StandardCharsets.UTF_8));
  }

  private int chunkSize() throws IOException {
    String size = line();
    int semicolon = size.indexOf(';');
    return Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
  }

  private String line() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      bytes.write(b);
    }
    return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A fresh context per connection: no session is resumed between a test's connections. */
  private static SSLContext context(CertificateAuthority.Issued clientCert) throws Exception {
    KeyManager[] keyManagers = null;
    if (clientCert != null) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "client",
          clientCert.key(),
          "changeit".toCharArray(),
          new X509Certificate[] {clientCert.certificate()});
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, "changeit".toCharArray());
      keyManagers = factory.getKeyManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers, new TrustManager[] {ACCEPT_ANY}, new SecureRandom());
    return context;
  }

  private static final X509TrustManager ACCEPT_ANY =
      new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      };

  /** The CN of a certificate's subject, lower case. */
  static String commonName(X509Certificate certificate) {
    String dn = certificate.getSubjectX500Principal().getName();
    for (String part : dn.split(",")) {
      if (part.startsWith("CN=")) {
        return part.substring(3).toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }
}
