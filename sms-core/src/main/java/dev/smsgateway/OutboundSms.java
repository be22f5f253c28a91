package dev.smsgateway;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message an application asks the {@link SmsGateway} to send. Numbers may be given as a person typed them; the
 * gateway normalizes them with the default region, checks opt-outs and plans the parts before a provider sees the
 * message (as a {@link SubmitRequest}).
 *
 * <pre>{@code
 * OutboundSms sms = OutboundSms.builder()
 *     .to("(415) 555-0100")
 *     .from("+14155550199")
 *     .body("Your table is ready")
 *     .idempotencyKey("order-1234-ready")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows neither the body nor whole numbers.
 */
public final class OutboundSms {

  /** The longest message id a caller may give ({@link Builder#messageId}). */
  public static final int MAX_MESSAGE_ID_LENGTH = 128;

  private final String to;
  private final String from;
  private final String body;
  private final String idempotencyKey;
  private final String messageId;
  private final String provider;
  private final String defaultRegion;
  private final boolean deliveryReport;
  private final boolean transliterate;
  private final boolean keywordReply;
  private final Duration validity;
  private final List<URI> mediaUrls;
  private final Map<String, String> attributes;
  private final dev.smsgateway.compliance.Purpose purpose;
  private final dev.smsgateway.store.OptOutStore optOutChecked; // null: not checked by the caller

  private OutboundSms(Builder b) {
    this.to = b.to;
    this.from = b.from;
    this.body = b.body;
    this.idempotencyKey = b.idempotencyKey;
    this.messageId = b.messageId;
    this.provider = b.provider;
    this.defaultRegion = b.defaultRegion;
    this.deliveryReport = b.deliveryReport;
    this.transliterate = b.transliterate;
    this.keywordReply = b.keywordReply;
    this.validity = b.validity;
    this.mediaUrls = List.copyOf(b.mediaUrls);
    this.attributes = Map.copyOf(b.attributes);
    this.purpose = b.purpose;
    this.optOutChecked = b.optOutChecked;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this message's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.to = to;
    b.from = from;
    b.body = body;
    b.idempotencyKey = idempotencyKey;
    b.messageId = messageId;
    b.provider = provider;
    b.defaultRegion = defaultRegion;
    b.deliveryReport = deliveryReport;
    b.transliterate = transliterate;
    b.keywordReply = keywordReply;
    b.validity = validity;
    b.mediaUrls = new java.util.ArrayList<>(mediaUrls);
    b.attributes = new LinkedHashMap<>(attributes);
    b.purpose = purpose;
    b.optOutChecked = optOutChecked;
    return b;
  }

  /** The recipient as given (normalized by the gateway). */
  public String to() {
    return to;
  }

  /** The sender as given; empty means the provider's default sender. */
  public Optional<String> from() {
    return Optional.ofNullable(from);
  }

  /** The text. */
  public String body() {
    return body;
  }

  /** The key that makes repeated sends of this message a no-op; empty when the caller gave none. */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /**
   * The message id the gateway gives this message ({@link Builder#messageId}); empty means the gateway picks a random
   * UUID.
   */
  public Optional<String> messageId() {
    return Optional.ofNullable(messageId);
  }

  /** The name of the provider to use; empty means the gateway's primary provider. */
  public Optional<String> provider() {
    return Optional.ofNullable(provider);
  }

  /** The region for reading national numbers; empty means the gateway's default. */
  public Optional<String> defaultRegion() {
    return Optional.ofNullable(defaultRegion);
  }

  /** Whether a delivery report is requested. Default true. */
  public boolean deliveryReport() {
    return deliveryReport;
  }

  /** Whether look-alike characters (smart quotes, dashes...) are replaced to stay in GSM-7. Default false. */
  public boolean transliterate() {
    return transliterate;
  }

  /**
   * Whether this is the reply to an opt-out, opt-in or help keyword (the STOP confirmation, for example). Such a reply
   * is the one message an opted-out customer still receives: carriers require exactly one confirmation of an opt-out.
   * Default false.
   */
  public boolean keywordReply() {
    return keywordReply;
  }

  /** The opt-out store the caller checked the recipient in ({@link Builder#optOutChecked}), or null. */
  dev.smsgateway.store.OptOutStore optOutChecked() {
    return optOutChecked;
  }

  /** How long the carrier may keep trying; empty means the provider's default. */
  public Optional<Duration> validity() {
    return Optional.ofNullable(validity);
  }

  /** MMS media, for providers that support it. */
  public List<URI> mediaUrls() {
    return mediaUrls;
  }

  /** Application tags carried to listeners and, where a provider supports it, to the provider. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /**
   * Why the message is sent, which decides the consent it needs when a
   * {@link dev.smsgateway.compliance.Compliance} engine checks sends. Default
   * {@link dev.smsgateway.compliance.Purpose#TRANSACTIONAL}.
   */
  public dev.smsgateway.compliance.Purpose purpose() {
    return purpose;
  }

  @Override
  public String toString() {
    return "OutboundSms{to=" + PhoneNumbers.mask(to) + ", from=" + PhoneNumbers.mask(from)
        + ", bodyLength=" + (body == null ? 0 : body.length()) + ", provider=" + provider + "}";
  }

  /** Builds {@link OutboundSms}. Not thread-safe. */
  public static final class Builder {
    private String to;
    private String from;
    private String body;
    private String idempotencyKey;
    private String messageId;
    private String provider;
    private String defaultRegion;
    private boolean deliveryReport = true;
    private boolean transliterate;
    private boolean keywordReply;
    private dev.smsgateway.store.OptOutStore optOutChecked;
    private Duration validity;
    private List<URI> mediaUrls = new java.util.ArrayList<>();
    private Map<String, String> attributes = new LinkedHashMap<>();
    private dev.smsgateway.compliance.Purpose purpose = dev.smsgateway.compliance.Purpose.TRANSACTIONAL;

    private Builder() {}

    /** The recipient, in any format {@link PhoneNumbers#normalize} reads. Required. */
    public Builder to(String to) {
      this.to = to;
      return this;
    }

    /** The recipient. Required. */
    public Builder to(PhoneNumber to) {
      this.to = Objects.requireNonNull(to, "to == null").e164();
      return this;
    }

    /** The sender: a phone number, a short code or an alphanumeric sender id. */
    public Builder from(String from) {
      this.from = from;
      return this;
    }

    /** The sender. */
    public Builder from(Originator from) {
      this.from = from == null ? null : from.address();
      return this;
    }

    /** The text. Required, not blank. */
    public Builder body(String body) {
      this.body = body;
      return this;
    }

    /** Makes repeated sends with the same key return the first send's result instead of sending again. */
    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    /**
     * The id the gateway gives this message: the {@link SendReceipt#messageId()}, the message record's key, the id
     * delivery reports and {@link SmsGateway#status} use. Without it the gateway picks a random UUID. For a caller
     * that must write the id somewhere before the send completes (the {@code ConversationService} writes it into the
     * originator record it claims before the send).
     *
     * <p>It must be unique: every send gets an id no other message of the gateway's message store has or had (a
     * random UUID, for example); a reused id replaces the earlier message's record. 1-128 characters, not blank, no
     * control characters (checked by {@link #build()}).
     *
     * <p>With an {@link #idempotencyKey}: a repeated key still gets the first send's outcome, and that outcome's
     * receipt carries the first send's id, not the one given here (which is then never used). A send repeated with the
     * same key <em>and</em> the same id is the same send and gets the first one's outcome too: from the gateway that
     * sent it while it remembers the key, and from the message store's record once the first send ended (one store
     * read, made only for keyed sends with a given id). Two gateways given the same key and id at the same moment
     * cannot tell each other apart (the key's claim names that id for both) and would both send: an id chosen per
     * attempt, as a random UUID is, never meets this.
     */
    public Builder messageId(String messageId) {
      this.messageId = messageId;
      return this;
    }

    /** Sends through the named provider rather than the gateway's primary one. */
    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    /** Reads national numbers in this ISO 3166-1 alpha-2 region rather than the gateway's default. */
    public Builder defaultRegion(String defaultRegion) {
      this.defaultRegion = defaultRegion;
      return this;
    }

    /** Whether to request a delivery report. Default true. */
    public Builder deliveryReport(boolean deliveryReport) {
      this.deliveryReport = deliveryReport;
      return this;
    }

    /** Replace look-alike characters to stay in GSM-7 (fewer parts). Default false. */
    public Builder transliterate(boolean transliterate) {
      this.transliterate = transliterate;
      return this;
    }

    /**
     * Marks the message as the reply to an opt-out, opt-in or help keyword, which the gateway sends even to an
     * opted-out customer. Only the routing engine's keyword replies should set this. Default false.
     */
    public Builder keywordReply(boolean keywordReply) {
      this.keywordReply = keywordReply;
      return this;
    }

    /**
     * Says that the caller has just looked the recipient up in {@code store} and found no opt-out, so that a gateway
     * whose opt-out store is this very object does not look again when it accepts the message (one store read fewer
     * per send; the {@code ConversationService} sets this). The gateway still checks right before the message goes
     * to a provider, so an opt-out committed after the caller's look-up is seen there and the send fails with
     * {@link SmsOptedOutException}. A gateway with another opt-out store ignores this and checks as usual, and so
     * does the release of a message held for quiet hours.
     */
    public Builder optOutChecked(dev.smsgateway.store.OptOutStore store) {
      this.optOutChecked = Objects.requireNonNull(store, "store == null");
      return this;
    }

    /** Why the message is sent (marketing needs recorded consent). Default transactional. */
    public Builder purpose(dev.smsgateway.compliance.Purpose purpose) {
      this.purpose = Objects.requireNonNull(purpose, "purpose == null");
      return this;
    }

    /** How long the carrier may keep trying to deliver. */
    public Builder validity(Duration validity) {
      this.validity = validity;
      return this;
    }

    /** Adds an MMS media URL. */
    public Builder addMediaUrl(URI url) {
      this.mediaUrls.add(Objects.requireNonNull(url, "url == null"));
      return this;
    }

    /** Adds an application tag. */
    public Builder attribute(String key, String value) {
      this.attributes.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
      return this;
    }

    /**
     * Builds the message. Only presence is checked here; number formats and body size are checked by the gateway,
     * which fails the send future with an {@link SmsValidationException}.
     *
     * @throws SmsValidationException if {@code to} or {@code body} is missing or blank, or a {@code messageId} or
     *     {@code idempotencyKey} given is malformed
     */
    public OutboundSms build() {
      if (to == null || to.isBlank()) {
        throw new SmsValidationException("to", to == null ? "is required" : "is blank");
      }
      if (body == null || body.isEmpty()) {
        if (mediaUrls.isEmpty()) {
          throw new SmsValidationException("body", body == null ? "is required" : "is empty");
        }
        body = "";
      }
      if (validity != null && (validity.isNegative() || validity.isZero())) {
        throw new SmsValidationException("validity", "must be positive: " + validity);
      }
      if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
        throw new SmsValidationException("idempotencyKey", "must be 1-255 characters, not blank");
      }
      if (messageId != null) {
        checkMessageId(messageId);
      }
      return new OutboundSms(this);
    }

    private static void checkMessageId(String id) {
      if (id.isBlank()) {
        throw new SmsValidationException("messageId", "is blank");
      }
      if (id.length() > MAX_MESSAGE_ID_LENGTH) {
        throw new SmsValidationException("messageId", "is too long: " + id.length() + " characters > "
            + MAX_MESSAGE_ID_LENGTH);
      }
      for (int i = 0; i < id.length(); i++) {
        if (Character.isISOControl(id.charAt(i))) {
          throw new SmsValidationException("messageId", "contains a control character at index " + i);
        }
      }
    }
  }
}
