package dev.turnpike.controlplane.domain.impl;

import dev.turnpike.controlplane.domain.TxtLookup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Collectors;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * {@link TxtLookup} through the JDK's DNS provider ({@code com.sun.jndi.dns}), asking the
 * operator's resolvers, or the machine's own when none are named. No caching here: a tenant who has
 * just published the record expects the next check to see it (a resolver may still cache).
 */
public final class JndiTxtLookup implements TxtLookup {
  private final String providerUrl;
  private final Duration timeout;

  /**
   * @param servers {@code host} or {@code host:port}; empty for the machine's resolvers
   */
  public JndiTxtLookup(List<String> servers, Duration timeout) {
    this.providerUrl =
        servers.isEmpty()
            ? "dns:"
            : servers.stream().map(s -> "dns://" + s).collect(Collectors.joining(" "));
    this.timeout = timeout;
  }

  @Override
  public Answer txt(String name) {
    Hashtable<String, String> env = new Hashtable<>();
    env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    env.put(DirContext.PROVIDER_URL, providerUrl);
    // The provider doubles the timeout on each retry; one try keeps the wait at what is set.
    env.put("com.sun.jndi.dns.timeout.initial", Long.toString(timeout.toMillis()));
    env.put("com.sun.jndi.dns.timeout.retries", "1");
    DirContext ctx = null;
    try {
      ctx = new InitialDirContext(env);
      Attributes attributes = ctx.getAttributes(name, new String[] {"TXT"});
      Attribute txt = attributes.get("TXT");
      List<String> values = new ArrayList<>();
      if (txt != null) {
        NamingEnumeration<?> all = txt.getAll();
        while (all.hasMore()) {
          values.add(unquote(String.valueOf(all.next())));
        }
      }
      return Answer.found(values);
    } catch (NameNotFoundException e) {
      return Answer.found(List.of());
    } catch (NamingException e) {
      return Answer.failed(
          "the DNS lookup of " + name + " failed: " + e.getClass().getSimpleName());
    } finally {
      if (ctx != null) {
        try {
          ctx.close();
        } catch (NamingException e) {
          // nothing held open worth reporting
        }
      }
    }
  }

  /**
   * JNDI renders a TXT record's character-strings quoted when they hold spaces and joins several
   * with spaces; a token has neither, so quotes are dropped and strings joined as one value.
   */
  static String unquote(String value) {
    StringBuilder out = new StringBuilder();
    for (String part : value.split(" ")) {
      out.append(part.replace("\"", ""));
    }
    return out.toString();
  }
}
