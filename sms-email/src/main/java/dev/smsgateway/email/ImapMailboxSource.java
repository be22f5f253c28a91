package dev.smsgateway.email;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds an {@link EmailOrigination} from an IMAP mailbox, for deployments without Amazon SES: every unseen message in
 * the folder is handled and then flagged {@code \Seen}; a message whose handling failed in a way that may pass
 * ({@link EmailNotTakenException}) stays unseen and is handled again on the next pass. Messages are read with
 * {@code BODY.PEEK}, so reading alone never marks them.
 *
 * <pre>{@code
 * ImapMailboxSource imap = ImapMailboxSource.builder()
 *     .host("imap.example.com").port(993).tls(ImapMailboxSource.Tls.IMPLICIT)
 *     .credentials("sms@example.com", System.getenv("IMAP_PASSWORD"))
 *     .origination(email)
 *     .build();
 * imap.start();        // a background thread: a pass, then IDLE (or a pause) until the next
 * ...
 * imap.close();
 * }</pre>
 *
 * <p>When the server offers IDLE (RFC 2177) the thread waits in IDLE and makes a pass as soon as mail arrives, and in
 * any case every {@code pollInterval}: a timer ends the IDLE with a NOOP, because mail that arrives between a pass and
 * the IDLE command is not reported by every server (GreenMail reports only what arrives during the IDLE). Without
 * IDLE it makes a pass every {@code pollInterval}. {@code idleTimeout} is the connection's read timeout. A connection failure is logged and retried after {@code pollInterval}.
 * {@link #pollOnce()} makes one pass on the caller's thread (for tests and for applications with their own
 * scheduler).
 *
 * <p><b>Authentication verdicts.</b> IMAP carries no SES verdicts; when the mailbox's receiving server writes an
 * {@code Authentication-Results} header (RFC 8601), name its authserv-id with
 * {@link Builder#trustAuthenticationResultsFrom} and the SPF, DKIM and DMARC results of the topmost such header are
 * the verdicts (headers from other servers, which anyone can write, are ignored).
 *
 * <p>Thread-safe; {@link #pollOnce()} passes do not overlap.
 */
public final class ImapMailboxSource implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ImapMailboxSource.class);

  private final EmailOrigination origination;
  private final Session session;
  private final String host;
  private final int port;
  private final String username;
  private final String password;
  private final String folderName;
  private final String protocol;
  private final String trustedAuthservId;
  private final Duration pollInterval;
  private final Object lock = new Object();
  private final AtomicLong handled = new AtomicLong();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running;
  private volatile Thread thread;
  private volatile boolean idleSupported;
  private volatile IMAPFolder idling;
  private volatile java.util.concurrent.ScheduledExecutorService wakeups;
  private Store store;
  private Folder folder;

  private ImapMailboxSource(Builder b) {
    this.origination = b.origination;
    this.host = b.host;
    this.port = b.port;
    this.username = b.username;
    this.password = b.password;
    this.folderName = b.folder;
    this.trustedAuthservId = b.trustedAuthservId;
    this.pollInterval = b.pollInterval;
    this.protocol = b.tls == Tls.IMPLICIT ? "imaps" : "imap";
    Properties p = new Properties();
    String prefix = "mail." + protocol + ".";
    p.setProperty(prefix + "connectiontimeout", Long.toString(b.connectTimeout.toMillis()));
    p.setProperty(prefix + "timeout", Long.toString(b.idleTimeout.toMillis()));
    p.setProperty(prefix + "writetimeout", Long.toString(b.connectTimeout.toMillis()));
    p.setProperty(prefix + "peek", "true");
    if (b.tls == Tls.STARTTLS_REQUIRED) {
      p.setProperty(prefix + "starttls.enable", "true");
      p.setProperty(prefix + "starttls.required", "true");
    }
    if (b.tls != Tls.NONE) {
      p.setProperty(prefix + "ssl.checkserveridentity", "true");
    }
    this.session = Session.getInstance(p);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** How the connection is protected. Immutable and thread-safe. */
  public enum Tls {
    /** TLS from the first byte (port 993). The default. */
    IMPLICIT,
    /** Plain connection upgraded with STARTTLS, which must succeed (port 143). */
    STARTTLS_REQUIRED,
    /** No TLS: only for a server on the same host or a test server on loopback. */
    NONE
  }

  /**
   * Starts the background thread.
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    synchronized (lock) {
      if (thread != null) {
        throw new IllegalStateException("already started");
      }
      running = true;
      wakeups = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread w = new Thread(r, "sms-email-imap-wakeup");
        w.setDaemon(true);
        return w;
      });
      wakeups.scheduleWithFixedDelay(this::wakeUp, pollInterval.toMillis(), pollInterval.toMillis(),
          TimeUnit.MILLISECONDS);
      Thread t = new Thread(this::run, "sms-email-imap");
      t.setDaemon(true);
      thread = t;
      t.start();
    }
  }

  /**
   * Handles every unseen message in the folder now, connecting first if needed.
   *
   * @return how many messages were handled (sent, refused or recognized as redeliveries) and flagged seen
   * @throws MessagingException if the mailbox could not be reached or read
   */
  public int pollOnce() throws MessagingException {
    synchronized (lock) {
      Folder f = openFolder();
      Message[] unseen = f.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
      FetchProfile profile = new FetchProfile();
      profile.add(FetchProfile.Item.ENVELOPE);
      f.fetch(unseen, profile);
      int done = 0;
      for (Message m : unseen) {
        if (m.isExpunged()) {
          continue;
        }
        MimeMessage copy = new MimeMessage((MimeMessage) m); // reads the whole message (BODY.PEEK)
        try {
          EmailOutcome outcome = origination.handle(copy, receipt(copy));
          log.debug("IMAP message {} handled: {}", m.getMessageNumber(), outcome.getClass().getSimpleName());
        } catch (EmailNotTakenException e) {
          log.warn("IMAP message {} not handled now, left unseen for the next pass: {}", m.getMessageNumber(),
              e.getMessage());
          continue;
        }
        m.setFlag(Flags.Flag.SEEN, true);
        done++;
        handled.incrementAndGet();
      }
      return done;
    }
  }

  /** How many messages were handled since the source was built. */
  public long handledCount() {
    return handled.get();
  }

  /** Whether the server offered IDLE on the last connection. */
  public boolean idleSupported() {
    return idleSupported;
  }

  private void run() {
    try {
      while (running) {
        try {
          pollOnce();
          Folder f;
          synchronized (lock) {
            f = folder;
          }
          if (running && idleSupported && f instanceof IMAPFolder imap) {
            idling = imap;
            try {
              imap.idle(true); // returns on new mail, on wakeUp's NOOP, on the read timeout, or when closed
            } finally {
              idling = null;
            }
          } else if (running) {
            stopped.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
          }
        } catch (MessagingException | RuntimeException e) {
          if (!running) {
            break;
          }
          log.warn("IMAP mailbox {}:{} failed ({}); reconnecting in {}", host, port, e.getClass().getSimpleName(),
              pollInterval);
          disconnect();
          stopped.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends a running IDLE (Angus ends it when another thread uses the folder), so that the loop makes a pass. */
  private void wakeUp() {
    IMAPFolder f = idling;
    if (f == null) {
      return;
    }
    try {
      f.doCommand(p -> {
        p.simpleCommand("NOOP", null);
        return null;
      });
    } catch (MessagingException | RuntimeException e) {
      log.debug("IMAP wake-up NOOP failed: {}", e.toString());
    }
  }

  private Folder openFolder() throws MessagingException {
    if (folder != null && folder.isOpen() && store != null && store.isConnected()) {
      return folder;
    }
    disconnect();
    Store s = session.getStore(protocol);
    s.connect(host, port, username, password);
    Folder f = s.getFolder(folderName);
    f.open(Folder.READ_WRITE);
    store = s;
    folder = f;
    idleSupported = s instanceof IMAPStore imap && imap.hasCapability("IDLE");
    log.info("IMAP mailbox {}:{} folder {} open (IDLE {})", host, port, folderName,
        idleSupported ? "offered" : "not offered");
    return f;
  }

  private void disconnect() {
    Folder f = folder;
    Store s = store;
    folder = null;
    store = null;
    try {
      if (f != null && f.isOpen()) {
        f.close(false);
      }
    } catch (MessagingException | RuntimeException e) {
      log.debug("closing the IMAP folder failed: {}", e.toString());
    }
    try {
      if (s != null) {
        s.close();
      }
    } catch (MessagingException | RuntimeException e) {
      log.debug("closing the IMAP store failed: {}", e.toString());
    }
  }

  EmailReceipt receipt(MimeMessage message) {
    Map<AuthCheck, AuthVerdict> verdicts = trustedAuthservId == null ? Map.of()
        : AuthenticationResults.verdicts(message, trustedAuthservId);
    return new EmailReceipt("imap", List.of(), verdicts.isEmpty() ? Map.of() : new EnumMap<>(verdicts));
  }

  /** Stops the thread (ending an IDLE by closing the connection) and disconnects. */
  @Override
  public void close() {
    running = false;
    stopped.countDown();
    var w = wakeups;
    if (w != null) {
      w.shutdownNow();
    }
    Folder f = folder;
    Store s = store;
    // Closing the store from here ends a blocked IDLE at once; the pass lock may be held by the thread.
    try {
      if (s != null) {
        s.close();
      }
    } catch (MessagingException | RuntimeException e) {
      log.debug("closing the IMAP store failed: {}", e.toString());
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (lock) {
      if (f == folder) {
        disconnect();
      }
    }
  }

  @Override
  public String toString() {
    return "ImapMailboxSource{" + host + ":" + port + "/" + folderName + ", " + protocol + "}";
  }

  /** Builds {@link ImapMailboxSource}. Not thread-safe. */
  public static final class Builder {
    private EmailOrigination origination;
    private String host;
    private int port = 993;
    private String username;
    private String password;
    private String folder = "INBOX";
    private Tls tls = Tls.IMPLICIT;
    private String trustedAuthservId;
    private Duration pollInterval = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofMinutes(5);
    private Duration connectTimeout = Duration.ofSeconds(20);

    private Builder() {}

    /** What handles each message. Required. */
    public Builder origination(EmailOrigination origination) {
      this.origination = Objects.requireNonNull(origination, "origination == null");
      return this;
    }

    /** The server. Required. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host == null");
      return this;
    }

    /** The port, 1 to 65535. Default 993. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** The mailbox login. Required. */
    public Builder credentials(String username, String password) {
      this.username = Objects.requireNonNull(username, "username == null");
      this.password = Objects.requireNonNull(password, "password == null");
      return this;
    }

    /** The folder to read. Default {@code INBOX}. */
    public Builder folder(String folder) {
      this.folder = Objects.requireNonNull(folder, "folder == null");
      return this;
    }

    /** TLS mode. Default {@link Tls#IMPLICIT}. */
    public Builder tls(Tls tls) {
      this.tls = Objects.requireNonNull(tls, "tls == null");
      return this;
    }

    /** Reads SPF/DKIM/DMARC verdicts from the {@code Authentication-Results} header of this authserv-id. */
    public Builder trustAuthenticationResultsFrom(String authservId) {
      this.trustedAuthservId = Objects.requireNonNull(authservId, "authservId == null");
      return this;
    }

    /** The longest time between passes (with or without IDLE), and the pause before reconnecting. Default 30 s. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /** The longest IDLE before a new pass (the connection's read timeout; under 29 minutes). Default 5 minutes. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive(idleTimeout, "idleTimeout");
      if (idleTimeout.compareTo(Duration.ofMinutes(29)) >= 0) {
        throw new IllegalArgumentException("idleTimeout must be under 29 minutes (RFC 2177): " + idleTimeout);
      }
      return this;
    }

    /** The connect and write timeout. Default 20 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name + " == null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }

    /**
     * Builds the source (it connects on {@link #start} or {@link #pollOnce}).
     *
     * @throws IllegalStateException if origination, host or credentials are missing
     */
    public ImapMailboxSource build() {
      if (origination == null) {
        throw new IllegalStateException("origination is required");
      }
      if (host == null || host.isBlank()) {
        throw new IllegalStateException("host is required");
      }
      if (username == null) {
        throw new IllegalStateException("credentials are required");
      }
      return new ImapMailboxSource(this);
    }
  }
}
