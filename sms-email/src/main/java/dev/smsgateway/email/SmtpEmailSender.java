package dev.smsgateway.email;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * Sends email through an SMTP server with Jakarta Mail (Eclipse Angus): one connection per message, STARTTLS
 * required by default, optional authentication.
 *
 * <pre>{@code
 * EmailSender smtp = SmtpEmailSender.builder()
 *     .host("smtp.example.com").port(587)
 *     .credentials("sms-gateway", System.getenv("SMTP_PASSWORD"))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #toString()} never prints the password.
 */
public final class SmtpEmailSender implements EmailSender {

  private final String host;
  private final int port;
  private final String username;
  private final String password;
  private final Session session;
  private final String tls;

  private SmtpEmailSender(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.username = b.username;
    this.password = b.password;
    this.tls = b.tls.name();
    Properties p = new Properties();
    p.setProperty("mail.smtp.host", b.host);
    p.setProperty("mail.smtp.port", Integer.toString(b.port));
    p.setProperty("mail.smtp.connectiontimeout", Long.toString(b.timeout.toMillis()));
    p.setProperty("mail.smtp.timeout", Long.toString(b.timeout.toMillis()));
    p.setProperty("mail.smtp.writetimeout", Long.toString(b.timeout.toMillis()));
    p.setProperty("mail.smtp.auth", Boolean.toString(b.username != null));
    switch (b.tls) {
      case STARTTLS_REQUIRED -> {
        p.setProperty("mail.smtp.starttls.enable", "true");
        p.setProperty("mail.smtp.starttls.required", "true");
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      }
      case IMPLICIT -> {
        p.setProperty("mail.smtp.ssl.enable", "true");
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      }
      case NONE -> { }
      default -> throw new IllegalStateException("unknown tls " + b.tls);
    }
    if (b.localhost != null) {
      p.setProperty("mail.smtp.localhost", b.localhost);
    }
    this.session = Session.getInstance(p);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** How the connection is protected. Immutable and thread-safe. */
  public enum Tls {
    /** Plain connection upgraded with STARTTLS, which must succeed (port 587). The default. */
    STARTTLS_REQUIRED,
    /** TLS from the first byte (port 465). */
    IMPLICIT,
    /** No TLS: only for a relay on the same host or a test server on loopback. */
    NONE
  }

  @Override
  public String send(MimeMessage message) throws EmailSendException {
    Objects.requireNonNull(message, "message == null");
    try {
      message.saveChanges();
      Address[] recipients = message.getAllRecipients();
      if (recipients == null || recipients.length == 0) {
        throw new EmailSendException("the message has no recipient", false, null);
      }
      try (Transport transport = session.getTransport("smtp")) {
        transport.connect(host, port, username, password);
        // saveChanges() above set Message-ID; sendMessage does not call it again, so our Message-ID stays.
        transport.sendMessage(message, recipients);
      }
      String id = message.getMessageID();
      return id == null ? "" : id.strip().replaceAll("^<|>$", "");
    } catch (AuthenticationFailedException e) {
      throw new EmailSendException("SMTP server " + host + " refused the credentials", false, null);
    } catch (SendFailedException e) {
      boolean invalid = e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0;
      throw new EmailSendException("SMTP server " + host + " refused the message" + (invalid ? " (invalid recipient)"
          : ""), !invalid, null);
    } catch (MessagingException e) {
      throw new EmailSendException("SMTP exchange with " + host + ":" + port + " failed: "
          + e.getClass().getSimpleName(), true, null);
    }
  }

  @Override
  public String toString() {
    return "SmtpEmailSender{" + host + ":" + port + ", tls=" + tls + ", auth=" + (username != null) + "}";
  }

  /** Builds {@link SmtpEmailSender}. Not thread-safe. */
  public static final class Builder {
    private String host;
    private int port = 587;
    private String username;
    private String password;
    private Tls tls = Tls.STARTTLS_REQUIRED;
    private Duration timeout = Duration.ofSeconds(20);
    private String localhost;

    private Builder() {}

    /** The server's host name. Required. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host == null");
      return this;
    }

    /** The port, 1 to 65535. Default 587. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Authenticates as {@code username}. Default: no authentication. */
    public Builder credentials(String username, String password) {
      this.username = Objects.requireNonNull(username, "username == null");
      this.password = Objects.requireNonNull(password, "password == null");
      return this;
    }

    /** TLS mode. Default {@link Tls#STARTTLS_REQUIRED}. */
    public Builder tls(Tls tls) {
      this.tls = Objects.requireNonNull(tls, "tls == null");
      return this;
    }

    /** Connect, read and write timeout. Default 20 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** The name given in EHLO. Default: the local host name. */
    public Builder ehloName(String localhost) {
      this.localhost = Objects.requireNonNull(localhost, "localhost == null");
      return this;
    }

    /**
     * Builds the sender.
     *
     * @throws IllegalStateException if no host was given
     */
    public SmtpEmailSender build() {
      if (host == null || host.isBlank()) {
        throw new IllegalStateException("host is required");
      }
      return new SmtpEmailSender(this);
    }
  }
}
