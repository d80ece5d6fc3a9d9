package dev.turnpike.controlplane.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser, for fast console tests: the JDK HTTP client with a cookie jar,
 * driving the real OIDC redirect dance through Keycloak's login form, then the console's pages and
 * forms (with the CSRF token read from the page, as a browser would send it).
 */
final class ConsoleClient {
  private static final Pattern LOGIN_ACTION =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);
  private static final Pattern LOGIN_ACTION_REVERSED =
      Pattern.compile("<form[^>]*action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"", Pattern.DOTALL);
  private static final Pattern CSRF =
      Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"|value=\"([^\"]+)\" name=\"_csrf\"");

  final String base;
  final CookieManager cookies;
  final HttpClient http;

  ConsoleClient(String base) {
    this(base, new CookieManager());
  }

  private ConsoleClient(String base, CookieManager cookies) {
    this.base = base;
    this.cookies = cookies;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(new LoopbackCookies(cookies))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /**
   * Browsers treat loopback addresses as secure and keep Keycloak's {@code Secure} cookies over
   * plain HTTP there; the JDK's cookie manager does not, so the flag is dropped for loopback hosts.
   */
  private static final class LoopbackCookies extends java.net.CookieHandler {
    private final CookieManager delegate;

    LoopbackCookies(CookieManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers)
        throws IOException {
      return delegate.get(uri, headers);
    }

    @Override
    public void put(URI uri, Map<String, List<String>> headers) throws IOException {
      if (!"127.0.0.1".equals(uri.getHost()) && !"localhost".equals(uri.getHost())) {
        delegate.put(uri, headers);
        return;
      }
      Map<String, List<String>> relaxed = new LinkedHashMap<>();
      headers.forEach(
          (name, values) ->
              relaxed.put(
                  name,
                  name != null && name.equalsIgnoreCase("Set-Cookie")
                      ? values.stream().map(v -> v.replaceAll("(?i);\\s*Secure", "")).toList()
                      : values));
      delegate.put(uri, relaxed);
    }
  }

  /**
   * The same browser (its cookies) reaching another instance of the console, as a round-robin
   * balancer would send it there.
   */
  ConsoleClient at(String otherBase) {
    return new ConsoleClient(otherBase, cookies);
  }

  /** Signs in through Keycloak's login form; returns the console page it lands on. */
  HttpResponse<String> signIn(String username, String password) {
    HttpResponse<String> start = get("/console/login");
    HttpResponse<String> loginPage = absolute(location(start));
    String action = loginAction(loginPage.body());
    HttpResponse<String> afterLogin =
        postAbsolute(
            action, Map.of("username", username, "password", password, "credentialId", ""));
    if (afterLogin.statusCode() != 302) {
      throw new IllegalStateException(
          "Keycloak did not accept the login: HTTP "
              + afterLogin.statusCode()
              + "; login page cookies "
              + setCookies(loginPage)
              + "; answer "
              + afterLogin.body().substring(0, Math.min(afterLogin.body().length(), 600)));
    }
    HttpResponse<String> callback = absolute(location(afterLogin));
    return follow(callback);
  }

  /**
   * Registers a new account on Keycloak's registration form (the realm does not verify emails, so
   * the address is whatever the person typed) and signs in to the console with it; returns the page
   * the console lands on.
   */
  HttpResponse<String> signUp(String username, String email, String password) {
    HttpResponse<String> form = absolute(location(get("/console/login?signup=1")));
    Matcher action =
        Pattern.compile("<form[^>]*id=\"kc-register-form\"[^>]*action=\"([^\"]+)\"", Pattern.DOTALL)
            .matcher(form.body());
    if (!action.find()) {
      action =
          Pattern.compile(
                  "<form[^>]*action=\"([^\"]+)\"[^>]*id=\"kc-register-form\"", Pattern.DOTALL)
              .matcher(form.body());
      if (!action.find()) {
        throw new IllegalStateException("no Keycloak registration form in the page");
      }
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("username", username);
    fields.put("email", email);
    fields.put("firstName", "Sam");
    fields.put("lastName", "Squatter");
    fields.put("password", password);
    fields.put("password-confirm", password);
    HttpResponse<String> registered = postAbsolute(action.group(1).replace("&amp;", "&"), fields);
    if (registered.statusCode() != 302) {
      throw new IllegalStateException(
          "Keycloak did not register the account: HTTP "
              + registered.statusCode()
              + " "
              + registered.body().substring(0, Math.min(registered.body().length(), 600)));
    }
    return follow(absolute(location(registered)));
  }

  /**
   * Submits the form of {@code page} whose action contains {@code actionPart}, with its inputs as
   * the page has them (hidden fields, the named submit button), as a browser would.
   */
  HttpResponse<String> submitForm(HttpResponse<String> page, String actionPart) {
    String html = page.body();
    Matcher form =
        Pattern.compile(
                "<form[^>]*action=\"([^\"]*"
                    + Pattern.quote(actionPart)
                    + "[^\"]*)\"[^>]*>(.*?)</form>",
                Pattern.DOTALL)
            .matcher(html);
    if (!form.find()) {
      throw new IllegalStateException("no form with an action containing " + actionPart);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher input = Pattern.compile("<(?:input|button)\\b([^>]*)>").matcher(form.group(2));
    while (input.find()) {
      String name = attribute(input.group(1), "name");
      if (name != null) {
        String value = attribute(input.group(1), "value");
        fields.put(name, value == null ? "" : value.replace("&amp;", "&"));
      }
    }
    return postAbsolute(page.uri().resolve(form.group(1).replace("&amp;", "&")).toString(), fields);
  }

  private static String attribute(String attributes, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(attributes);
    return m.find() ? m.group(1) : null;
  }

  static String loginAction(String html) {
    Matcher m = LOGIN_ACTION.matcher(html);
    if (!m.find()) {
      m = LOGIN_ACTION_REVERSED.matcher(html);
      if (!m.find()) {
        throw new IllegalStateException("no Keycloak login form in the page");
      }
    }
    return m.group(1).replace("&amp;", "&");
  }

  HttpResponse<String> get(String path) {
    return absolute(base + path);
  }

  /** GETs and follows console redirects to the final page. */
  HttpResponse<String> page(String path) {
    return follow(get(path));
  }

  HttpResponse<String> follow(HttpResponse<String> response) {
    HttpResponse<String> current = response;
    List<String> seen = new java.util.ArrayList<>();
    while (isRedirect(current.statusCode())) {
      String location = location(current);
      seen.add(current.statusCode() + " " + location);
      if (seen.size() > 10) {
        throw new IllegalStateException("redirect loop: " + seen);
      }
      current = absolute(location.startsWith("/") ? base + location : location);
    }
    return current;
  }

  /** POSTs a form with the CSRF token of the session. */
  HttpResponse<String> post(String path, Map<String, String> form) {
    Map<String, String> withToken = new LinkedHashMap<>(form);
    withToken.put("_csrf", csrf());
    return postAbsolute(base + path, withToken);
  }

  /** POSTs an already encoded form body, e.g. one with a checkbox group's repeated names. */
  HttpResponse<String> postEncoded(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** POSTs a form exactly as given: no CSRF token is added. */
  HttpResponse<String> postRaw(String path, Map<String, String> form) {
    return postAbsolute(base + path, form);
  }

  HttpResponse<String> postMultipart(String path, Map<String, String> fields) {
    String boundary = "----turnpike" + System.nanoTime();
    StringBuilder body = new StringBuilder();
    Map<String, String> withToken = new LinkedHashMap<>(fields);
    withToken.put("_csrf", csrf());
    withToken.forEach(
        (name, value) ->
            body.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\n\r\n")
                .append(value)
                .append("\r\n"));
    body.append("--").append(boundary).append("--\r\n");
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build());
  }

  /** A multipart form with a file, as a browser sends a file input beside the other fields. */
  HttpResponse<String> postFile(
      String path, Map<String, String> fields, String fileField, String fileName, String content) {
    String boundary = "----turnpike" + System.nanoTime();
    StringBuilder body = new StringBuilder();
    Map<String, String> withToken = new LinkedHashMap<>(fields);
    withToken.put("_csrf", csrf());
    withToken.forEach(
        (name, value) ->
            body.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\n\r\n")
                .append(value)
                .append("\r\n"));
    body.append("--")
        .append(boundary)
        .append("\r\nContent-Disposition: form-data; name=\"")
        .append(fileField)
        .append("\"; filename=\"")
        .append(fileName)
        .append("\"\r\nContent-Type: application/json\r\n\r\n")
        .append(content)
        .append("\r\n--")
        .append(boundary)
        .append("--\r\n");
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build());
  }

  /** The session's CSRF token, read from a console page. */
  String csrf() {
    HttpResponse<String> page = page("/console/");
    Matcher m = CSRF.matcher(page.body());
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token on the console's page");
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  HttpCookie sessionCookie() {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(Console.COOKIE))
        .findFirst()
        .orElse(null);
  }

  HttpResponse<String> absolute(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  private HttpResponse<String> postAbsolute(String url, Map<String, String> form) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String location(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Location")
        .orElseThrow(
            () -> new IllegalStateException("HTTP " + response.statusCode() + " without Location"));
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307;
  }

  static List<String> setCookies(HttpResponse<?> response) {
    return response.headers().allValues("Set-Cookie");
  }

  static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
