package dev.smsgateway.email;

import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.routing.BusinessNumber;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.OutboundConversation;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.MessageStore;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Email-to-SMS: an agent writes an email (From = the agent, To = a business number's mailbox, Subject = the
 * customer's number, body = the text) and it is sent as an SMS through {@link ConversationService#startOutbound}, so
 * that the customer's reply comes back to that agent. Every source (SES through SNS, a Lambda, an IMAP mailbox)
 * calls {@link #handle}.
 *
 * <pre>{@code
 * EmailOrigination email = EmailOrigination.builder()
 *     .conversations(conversationService)
 *     .mailboxes(EmailMailboxes.builder().mailbox("sms+support@example.com", "+14155550100").build())
 *     .agents(EmailAgentResolver.allowList(Map.of("alice@example.com", "alice")))
 *     .replySender(SmtpEmailSender.builder().host("smtp.example.com").build())
 *     .messageStore(stores.messageStore())      // de-duplicate across instances
 *     .build();
 * conversationService.addListener(email.replyListener(executor));   // customers' replies emailed to the agent
 * }</pre>
 *
 * <p><b>Checks, in order</b> (the first that fails refuses the email): a single From address; the required
 * authentication verdicts ({@link Builder#requiredChecks}, default SPF, DKIM and DMARC) are {@code PASS}, and the
 * spam and virus verdicts, when reported, are not {@code FAIL}; the From address is an agent's
 * ({@link EmailAgentResolver}); the conversation (an In-Reply-To or References id of one of our reply emails) or else
 * a recipient mailbox ({@link EmailMailboxes}; the envelope recipients when known, else Delivered-To, X-Original-To,
 * To and Cc) names the business number; the body is readable, has no attachment, is not empty once quotes and
 * signatures are removed, and is at most {@link Builder#maxTextLength} characters; the conversation's customer, or
 * else the subject ({@link SubjectNumber}), is a phone number in the mapping's country; the customer has not opted
 * out; the provider takes the message.
 *
 * <p><b>Refusals</b> are answered by an email to the sender that says why (threaded on their email, marked
 * {@code Auto-Submitted: auto-replied}), except for automatic mail (an {@code Auto-Submitted} other than {@code no},
 * {@code Precedence: bulk/list/junk}, a {@code List-Id}, an empty Return-Path), mail from a mailbox itself, reasons
 * listed in {@link Builder#silentRefusals}, or without a {@link Builder#replySender}. They are logged at INFO with
 * masked addresses ({@code a***@example.com}), never the subject or the body.
 *
 * <p><b>Exactly once.</b> The email's Message-ID (SHA-256, or of the whole message when it has none) is the
 * idempotency key: the first {@link #handle} of an email marks it in the {@link MessageStore} and a redelivery returns
 * {@link EmailOutcome.Duplicate} without sending or answering again; the send carries the same key, so a redelivery
 * after a failure between the send and the mark is sent once by the gateway too. When handling fails in a way that
 * may pass ({@link EmailNotTakenException}), the mark is removed so that the source's redelivery is handled.
 *
 * <p>Threads: {@link #handle} runs on the caller's thread and blocks until the send's outcome is known (at most
 * {@link Builder#sendTimeout}). Thread-safe.
 */
public final class EmailOrigination {

  private static final Logger log = LoggerFactory.getLogger(EmailOrigination.class);

  private final ConversationService conversations;
  private final RoutingConfiguration configuration;
  private final EmailMailboxes mailboxes;
  private final Map<String, String> mailboxByNumber;
  private final EmailAgentResolver agents;
  private final Set<AuthCheck> requiredChecks;
  private final Set<Refusal.Reason> silentRefusals;
  private final MessageStore seen;
  private final Clock clock;
  private final EmailSender replySender;
  private final int maxTextLength;
  private final Duration sendTimeout;
  private final Duration dedupWindow;
  private final EmailThreads threads = new EmailThreads();
  private final MailComposer composer;

  private EmailOrigination(Builder b) {
    this.conversations = b.conversations;
    this.configuration = b.conversations.router().configuration();
    this.mailboxes = b.mailboxes;
    this.agents = b.agents;
    this.requiredChecks = Set.copyOf(b.requiredChecks);
    this.silentRefusals = Set.copyOf(b.silentRefusals);
    this.clock = b.clock;
    this.seen = b.messageStore != null ? b.messageStore : new InMemoryMessageStore(b.clock);
    this.replySender = b.replySender;
    this.maxTextLength = b.maxTextLength;
    this.sendTimeout = b.sendTimeout;
    this.dedupWindow = b.dedupWindow;
    this.composer = new MailComposer(b.clock);
    Map<String, String> byNumber = new HashMap<>();
    for (Map.Entry<String, String> e : mailboxes.asMap().entrySet()) {
      BusinessNumber number = configuration.findNumber(e.getValue()).orElseThrow(() -> new IllegalArgumentException(
          "mailbox " + e.getKey() + " names " + PhoneNumbers.mask(e.getValue())
              + ", which is not a business number of any mapping"));
      byNumber.put(number.number().address(), e.getKey());
    }
    this.mailboxByNumber = Map.copyOf(byNumber);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Handles an email whose source knows nothing but its content (no envelope, no verdicts). */
  public EmailOutcome handle(MimeMessage message) {
    return handle(message, EmailReceipt.of("mime"));
  }

  /**
   * Handles one email: sends its text as an SMS, or refuses it (answering the sender), or recognizes it as a
   * redelivery. See the class comment for the checks.
   *
   * @throws EmailNotTakenException when it could not be handled now and must be delivered again
   */
  public EmailOutcome handle(MimeMessage message, EmailReceipt receipt) {
    Objects.requireNonNull(message, "message == null");
    Objects.requireNonNull(receipt, "receipt == null");
    ParsedEmail mail = MimeText.parse(message);
    String key = idempotencyKey(mail, message);
    if (!seen.markSeen(key, clock.instant().plus(dedupWindow))) {
      log.info("email {} ({}) is a redelivery; already handled", shortKey(key), receipt.source());
      return new EmailOutcome.Duplicate(key);
    }
    try {
      return decide(message, mail, receipt, key);
    } catch (RuntimeException e) {
      seen.unmarkSeen(key);
      if (e instanceof EmailNotTakenException) {
        throw e;
      }
      throw new EmailNotTakenException("email " + shortKey(key) + " could not be handled: "
          + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * A listener that emails each customer message of a conversation assigned to an agent to that agent's address
   * ({@link EmailAgentResolver#addressOf}), from the business number's mailbox, threaded on the conversation's
   * emails, so that answering it continues the conversation. Sending runs on {@code executor} (the listener itself
   * returns at once), up to three attempts with 1 s and 5 s pauses for retryable failures; a message that still
   * cannot be sent is logged at ERROR with the conversation id.
   *
   * @throws IllegalStateException if no {@link Builder#replySender} was given
   */
  public ConversationListener replyListener(Executor executor) {
    Objects.requireNonNull(executor, "executor == null");
    if (replySender == null) {
      throw new IllegalStateException("replyListener needs a replySender");
    }
    return new EmailReplyListener(this, executor);
  }

  // ---------------------------------------------------------------------------------------------------- deciding

  private EmailOutcome decide(MimeMessage message, ParsedEmail mail, EmailReceipt receipt, String key) {
    if (mail.from().size() != 1) {
      return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.SENDER_NOT_ALLOWED,
          "It must have exactly one From address; it has " + mail.from().size() + "."));
    }
    String from = mail.from().get(0);
    Optional<Refusal> unauthenticated = authentication(receipt);
    if (unauthenticated.isPresent()) {
      return refuse(message, mail, receipt, key, unauthenticated.get());
    }
    Optional<String> agent = agents.agentFor(from);
    if (agent.isEmpty()) {
      return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.SENDER_NOT_ALLOWED,
          "Your address may not send text messages. Ask your administrator to add it."));
    }
    Optional<EmailThreads.Key> thread = threads.resolve(mail.references(), id -> conversations.conversation(id)
        .map(c -> new EmailThreads.Key(c.customer().e164(), c.business().address())));
    String business = thread.map(EmailThreads.Key::business)
        .or(() -> mailboxes.businessNumberFor(receipt.envelopeRecipients().isEmpty() ? mail.recipients()
            : receipt.envelopeRecipients()))
        .orElse(null);
    if (business == null) {
      return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.UNKNOWN_MAILBOX,
          "It was not addressed to a text-message mailbox" + mailboxHint() + "."));
    }
    if (mail.problem() != null) {
      return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.UNREADABLE,
          "It could not be read: " + mail.problem() + "."));
    }
    if (!mail.attachments().isEmpty()) {
      return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.ATTACHMENT,
          "It has " + mail.attachments().size() + " attachment(s) (" + String.join(", ", mail.attachments())
              + "); text messages carry text only. Send the text without attachments."));
    }
    if (mail.text().isEmpty()) {
      return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.EMPTY_TEXT,
          "Its body is empty once quoted text and signatures are removed. Write the text above any quote."));
    }
    if (mail.text().length() > maxTextLength) {
      return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.TEXT_TOO_LONG,
          "Its text has " + mail.text().length() + " characters; at most " + maxTextLength + " are sent."));
    }
    String customer = thread.map(EmailThreads.Key::customer).orElseGet(() -> SubjectNumber.parse(mail.subject()));
    if (customer.isEmpty()) {
      return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.BAD_NUMBER,
          "Its subject must be the customer's phone number, for example +1 415 555 0123; it is empty."));
    }
    return send(message, mail, receipt, key, agent.get(), business, customer);
  }

  private EmailOutcome send(MimeMessage message, ParsedEmail mail, EmailReceipt receipt, String key, String agent,
      String business, String customer) {
    // Remembered before the send: a customer's reply may overtake the send's completion.
    threadKey(business, customer).ifPresent(k -> threads.remember(k, mail.messageId() == null ? null
        : strip(mail.messageId())));
    OutboundConversation sent;
    try {
      sent = conversations.startOutbound(agent, business, customer, mail.text(), key)
          .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmailNotTakenException("interrupted while sending email " + shortKey(key), e);
    } catch (TimeoutException e) {
      throw new EmailNotTakenException("the send of email " + shortKey(key) + " took longer than " + sendTimeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SmsOptedOutException) {
        return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.OPTED_OUT,
            "The customer opted out of text messages from this number (they texted STOP)."));
      }
      if (cause instanceof SmsValidationException v) {
        Refusal.Reason reason = v.field().startsWith("customer") ? Refusal.Reason.BAD_NUMBER
            : v.field().startsWith("business") ? Refusal.Reason.UNKNOWN_MAILBOX : Refusal.Reason.SEND_FAILED;
        String explanation = reason == Refusal.Reason.BAD_NUMBER
            ? "Its subject '" + abbreviate(mail.subject()) + "' is not a phone number the number's country can read;"
                + " write it in international form, for example +1 415 555 0123."
            : "The text could not be sent: " + v.getMessage();
        return refuse(message, mail, receipt, key, new Refusal(reason, explanation));
      }
      if (cause instanceof SmsException s && s.possiblyDelivered()) {
        return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.DELIVERY_UNKNOWN,
            "The text-message provider did not answer in time; the text may have been delivered. It will not be sent"
                + " again; do not resend unless the customer says it did not arrive."));
      }
      if (cause instanceof SmsException s && !s.retryable()) {
        return refuse(message, mail, receipt, key, new Refusal(Refusal.Reason.SEND_FAILED,
            "The text-message provider refused it" + s.providerCode().map(c -> " (" + c + ").").orElse(".")));
      }
      throw new EmailNotTakenException("the send of email " + shortKey(key) + " failed and may pass: "
          + (cause == null ? "unknown" : cause.getClass().getSimpleName()), cause);
    }
    log.info("email {} ({}) from agent {} sent as SMS in conversation {}", shortKey(key), receipt.source(), agent,
        sent.conversationId());
    return new EmailOutcome.Sent(agent, sent.conversationId(), sent.messageId());
  }

  private Optional<Refusal> authentication(EmailReceipt receipt) {
    for (AuthCheck check : AuthCheck.values()) {
      Optional<AuthVerdict> verdict = receipt.verdict(check);
      if (requiredChecks.contains(check)) {
        if (verdict.isEmpty()) {
          return Optional.of(new Refusal(Refusal.Reason.NOT_AUTHENTICATED, "The receiving server reported no "
              + check + " verdict, and one is required."));
        }
        if (verdict.get() != AuthVerdict.PASS) {
          return Optional.of(new Refusal(Refusal.Reason.NOT_AUTHENTICATED, "Its " + check + " check did not pass ("
              + verdict.get() + "). Send from your usual mail account."));
        }
      } else if ((check == AuthCheck.SPAM || check == AuthCheck.VIRUS) && verdict.orElse(null) == AuthVerdict.FAIL) {
        return Optional.of(new Refusal(Refusal.Reason.NOT_AUTHENTICATED, "It failed the " + check.name()
            .toLowerCase(Locale.ROOT) + " scan."));
      }
    }
    return Optional.empty();
  }

  private EmailOutcome refuse(MimeMessage message, ParsedEmail mail, EmailReceipt receipt, String key,
      Refusal refusal) {
    String from = mail.from().isEmpty() ? null : mail.from().get(0);
    log.info("email {} ({}) from {} refused: {}", shortKey(key), receipt.source(), EmailAddresses.mask(from),
        refusal.reason());
    String why = silentReason(message, from, refusal);
    if (why != null) {
      log.info("email {}: refusal not answered ({})", shortKey(key), why);
      return new EmailOutcome.Refused(refusal, false);
    }
    String replyFrom = mailboxes.businessNumberFor(receipt.envelopeRecipients().isEmpty() ? mail.recipients()
            : receipt.envelopeRecipients())
        .flatMap(n -> mailboxes.asMap().entrySet().stream().filter(e -> e.getValue().equals(n)).map(Map.Entry::getKey)
            .findFirst())
        .orElseGet(() -> mailboxes.asMap().keySet().iterator().next());
    try {
      replySender.send(composer.refusal(mail, from, replyFrom, refusal));
      return new EmailOutcome.Refused(refusal, true);
    } catch (EmailSendException | MessagingException e) {
      // Reported, not retried: the refusal itself is decided and logged; a redelivery would not be a better answer.
      log.warn("email {}: the refusal reply to {} could not be sent: {}", shortKey(key), EmailAddresses.mask(from),
          e.getMessage());
      return new EmailOutcome.Refused(refusal, false);
    }
  }

  private String silentReason(MimeMessage message, String from, Refusal refusal) {
    if (replySender == null) {
      return "no reply sender configured";
    }
    if (from == null) {
      return "no sender address";
    }
    if (silentRefusals.contains(refusal.reason())) {
      return "refusals for " + refusal.reason() + " are silent";
    }
    if (mailboxes.isMailbox(from)) {
      return "the sender is a mailbox of this gateway";
    }
    String auto = header(message, "Auto-Submitted");
    if (auto != null && !auto.strip().toLowerCase(Locale.ROOT).startsWith("no")) {
      return "automatic mail (Auto-Submitted)";
    }
    String precedence = header(message, "Precedence");
    if (precedence != null && precedence.strip().toLowerCase(Locale.ROOT).matches("bulk|list|junk")) {
      return "automatic mail (Precedence)";
    }
    if (header(message, "List-Id") != null) {
      return "mailing-list mail";
    }
    String returnPath = header(message, "Return-Path");
    if (returnPath != null && returnPath.replaceAll("[<>\\s]", "").isEmpty()) {
      return "bounce (empty Return-Path)";
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------- replies

  EmailSender replySender() {
    return replySender;
  }

  EmailThreads threads() {
    return threads;
  }

  MailComposer composer() {
    return composer;
  }

  EmailAgentResolver agents() {
    return agents;
  }

  RoutingConfiguration configuration() {
    return configuration;
  }

  /** The thread key of an email to {@code customer} (as written) from {@code business}, when both can be read. */
  private Optional<EmailThreads.Key> threadKey(String business, String customer) {
    try {
      Optional<BusinessNumber> number = configuration.findNumber(business);
      if (number.isEmpty()) {
        return Optional.empty();
      }
      String country = configuration.mappingFor(number.get().number()).map(m -> m.defaultCountry()).orElse(null);
      return Optional.of(new EmailThreads.Key(PhoneNumbers.normalize(customer, country).e164(),
          number.get().number().address()));
    } catch (SmsException e) {
      return Optional.empty(); // the send refuses it with the reason
    }
  }

  /** The mailbox of a business number (its Originator address), if it has one. */
  Optional<String> mailboxFor(String businessAddress) {
    return Optional.ofNullable(mailboxByNumber.get(businessAddress));
  }

  // ---------------------------------------------------------------------------------------------------- helpers

  static String idempotencyKey(ParsedEmail mail, MimeMessage message) {
    byte[] source;
    if (mail.messageId() != null && !mail.messageId().isBlank()) {
      source = ("id:" + strip(mail.messageId())).getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        source = out.toByteArray();
      } catch (IOException | MessagingException | RuntimeException e) {
        source = ("unreadable:" + mail.subject() + mail.from() + mail.text()).getBytes(StandardCharsets.UTF_8);
      }
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(source);
      return "email:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  private String mailboxHint() {
    return mailboxes.asMap().size() == 1 ? " (" + mailboxes.asMap().keySet().iterator().next() + ")" : "";
  }

  private static String shortKey(String key) {
    return key.length() > 18 ? key.substring(0, 18) : key;
  }

  private static String strip(String id) {
    String s = id.strip();
    return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }

  private static String header(MimeMessage message, String name) {
    try {
      return message.getHeader(name, ",");
    } catch (MessagingException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "EmailOrigination{" + mailboxes + ", " + agents + ", requiredChecks=" + requiredChecks + "}";
  }

  /** Builds {@link EmailOrigination}. Not thread-safe. */
  public static final class Builder {
    private ConversationService conversations;
    private EmailMailboxes mailboxes;
    private EmailAgentResolver agents;
    private Set<AuthCheck> requiredChecks = EnumSet.of(AuthCheck.SPF, AuthCheck.DKIM, AuthCheck.DMARC);
    private Set<Refusal.Reason> silentRefusals = Set.of();
    private MessageStore messageStore;
    private Clock clock = Clock.systemUTC();
    private EmailSender replySender;
    private int maxTextLength = 1600;
    private Duration sendTimeout = Duration.ofSeconds(30);
    private Duration dedupWindow = Duration.ofDays(7);

    private Builder() {}

    /** The conversation service texts are sent through. Required. */
    public Builder conversations(ConversationService conversations) {
      this.conversations = Objects.requireNonNull(conversations, "conversations == null");
      return this;
    }

    /** The business numbers' mailboxes. Required; each number must be in the service's configuration. */
    public Builder mailboxes(EmailMailboxes mailboxes) {
      this.mailboxes = Objects.requireNonNull(mailboxes, "mailboxes == null");
      return this;
    }

    /** Who may send ({@link EmailAgentResolver#allowList} for a fixed list). Required. */
    public Builder agents(EmailAgentResolver agents) {
      this.agents = Objects.requireNonNull(agents, "agents == null");
      return this;
    }

    /**
     * The authentication checks that must report {@code PASS}. Default SPF, DKIM and DMARC. An IMAP mailbox reports
     * verdicts only when its server writes an {@code Authentication-Results} header the source is told to trust
     * ({@link ImapMailboxSource.Builder#trustAuthenticationResultsFrom}); otherwise pass an empty set and rely on
     * the mailbox provider's own filtering.
     */
    public Builder requiredChecks(Set<AuthCheck> requiredChecks) {
      this.requiredChecks = EnumSet.noneOf(AuthCheck.class);
      this.requiredChecks.addAll(Objects.requireNonNull(requiredChecks, "requiredChecks == null"));
      return this;
    }

    /**
     * Refusals that are not answered (logged only). Default none. Answering mail that failed authentication answers
     * whoever was forged as the sender ("backscatter"); list {@link Refusal.Reason#NOT_AUTHENTICATED} to avoid it.
     */
    public Builder silentRefusals(Set<Refusal.Reason> silentRefusals) {
      this.silentRefusals = Set.copyOf(Objects.requireNonNull(silentRefusals, "silentRefusals == null"));
      return this;
    }

    /**
     * Where handled emails are marked ({@link MessageStore#markSeen}); pass the gateway's durable store so that
     * several instances, and a restarted one, handle each email once. Default: an in-memory store.
     */
    public Builder messageStore(MessageStore messageStore) {
      this.messageStore = Objects.requireNonNull(messageStore, "messageStore == null");
      return this;
    }

    /** The clock for marks and dates. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Sends refusal replies and (through {@link #replyListener}) customers' replies. Default none. */
    public Builder replySender(EmailSender replySender) {
      this.replySender = Objects.requireNonNull(replySender, "replySender == null");
      return this;
    }

    /** The longest text sent, in characters, 1 to 10,000. Default 1,600 (about ten SMS parts). */
    public Builder maxTextLength(int maxTextLength) {
      if (maxTextLength < 1 || maxTextLength > 10_000) {
        throw new IllegalArgumentException("maxTextLength must be 1..10000: " + maxTextLength);
      }
      this.maxTextLength = maxTextLength;
      return this;
    }

    /** How long {@link #handle} waits for the send's outcome. Default 30 s. */
    public Builder sendTimeout(Duration sendTimeout) {
      Objects.requireNonNull(sendTimeout, "sendTimeout == null");
      if (sendTimeout.isNegative() || sendTimeout.isZero()) {
        throw new IllegalArgumentException("sendTimeout must be positive: " + sendTimeout);
      }
      this.sendTimeout = sendTimeout;
      return this;
    }

    /** How long a handled email's mark lives (longer than any redelivery). Default 7 days. */
    public Builder dedupWindow(Duration dedupWindow) {
      Objects.requireNonNull(dedupWindow, "dedupWindow == null");
      if (dedupWindow.isNegative() || dedupWindow.isZero()) {
        throw new IllegalArgumentException("dedupWindow must be positive: " + dedupWindow);
      }
      this.dedupWindow = dedupWindow;
      return this;
    }

    /**
     * Builds the origination.
     *
     * @throws IllegalStateException if conversations, mailboxes or agents is missing
     * @throws IllegalArgumentException if a mailbox names a number that no mapping holds
     */
    public EmailOrigination build() {
      if (conversations == null) {
        throw new IllegalStateException("conversations is required: the ConversationService to send through");
      }
      if (mailboxes == null) {
        throw new IllegalStateException("mailboxes is required: EmailMailboxes.builder().mailbox(address, number)");
      }
      if (agents == null) {
        throw new IllegalStateException("agents is required: EmailAgentResolver.allowList(address -> agent id)");
      }
      return new EmailOrigination(this);
    }
  }
}
