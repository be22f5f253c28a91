package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Assertions that a credential appears nowhere in what an object or an exception shows: a {@code toString()}, an
 * exception's message, every cause's and suppressed exception's message, and the printed stack trace, in plain text,
 * base64 or hex. For the credential-hygiene tests (X2) of every module.
 *
 * <pre>{@code
 * SecretAssertions.assertNoSecret(provider, "S3cr3t-X2-twilio");
 * SecretAssertions.assertNoSecret(failure, "S3cr3t-X2-twilio");
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class SecretAssertions {

  private SecretAssertions() {}

  /**
   * Fails if any of {@code secrets} appears in {@code value}'s {@code toString()}, or, for a {@link Throwable}, in its
   * printed stack trace (which holds every message of its cause chain and suppressed exceptions).
   */
  public static void assertNoSecret(Object value, String... secrets) {
    assertThat(value).as("the value to check").isNotNull();
    String shown = value instanceof Throwable t ? printed(t) : value.toString();
    for (String secret : secrets) {
      for (String form : forms(secret)) {
        assertThat(shown).as("%s shows a credential (%s)", value.getClass().getName(), form).doesNotContain(form);
      }
    }
  }

  /** The messages of {@code t} and of its causes, outermost first (at most 32, a cycle ends the list). */
  public static List<String> messages(Throwable t) {
    List<String> out = new ArrayList<>();
    for (Throwable c = t; c != null && out.size() < 32; c = c.getCause() == c ? null : c.getCause()) {
      out.add(String.valueOf(c.getMessage()));
    }
    return out;
  }

  private static String printed(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return t + "\n" + String.join("\n", messages(t)) + "\n" + w;
  }

  private static List<String> forms(String secret) {
    assertThat(secret).as("a secret to look for").isNotBlank();
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    String hex = HexFormat.of().formatHex(bytes);
    return List.of(secret, Base64.getEncoder().withoutPadding().encodeToString(bytes), hex,
        hex.toUpperCase(Locale.ROOT));
  }
}
