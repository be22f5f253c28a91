package dev.smsgateway;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message a customer sent to one of our business numbers, reassembled if it came in parts.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows neither the body nor whole numbers.
 */
public final class InboundSms {

  private final String provider;
  private final String providerMessageId;
  private final PhoneNumber from;
  private final Originator to;
  private final String body;
  private final Instant receivedAt;
  private final int parts;
  private final List<URI> mediaUrls;
  private final Map<String, String> attributes;

  private InboundSms(Builder b) {
    this.provider = b.provider;
    this.providerMessageId = b.providerMessageId;
    this.from = b.from;
    this.to = b.to;
    this.body = b.body;
    this.receivedAt = b.receivedAt;
    this.parts = b.parts;
    this.mediaUrls = List.copyOf(b.mediaUrls);
    this.attributes = Map.copyOf(b.attributes);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The name of the provider that received it. */
  public String provider() {
    return provider;
  }

  /** The provider's id (Twilio MessageSid, AWS inboundMessageId, SMPP id or a digest); used to de-duplicate. */
  public String providerMessageId() {
    return providerMessageId;
  }

  /** The customer's number. */
  public PhoneNumber from() {
    return from;
  }

  /** Our business number it was sent to. */
  public Originator to() {
    return to;
  }

  /** The text; empty for media-only messages. */
  public String body() {
    return body;
  }

  /** When the provider received it. */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** How many SMS parts it arrived in. */
  public int parts() {
    return parts;
  }

  /** MMS media URLs. */
  public List<URI> mediaUrls() {
    return mediaUrls;
  }

  /** Provider extras (keyword, opt-out type); never secrets. */
  public Map<String, String> attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    return "InboundSms{provider=" + provider + ", id=" + providerMessageId + ", from=" + from + ", to=" + to
        + ", bodyLength=" + body.length() + ", parts=" + parts + "}";
  }

  /** Builds {@link InboundSms}. Not thread-safe. */
  public static final class Builder {
    private String provider;
    private String providerMessageId;
    private PhoneNumber from;
    private Originator to;
    private String body = "";
    private Instant receivedAt;
    private int parts = 1;
    private List<URI> mediaUrls = List.of();
    private Map<String, String> attributes = Map.of();

    private Builder() {}

    /** Required. */
    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    /** Required. */
    public Builder providerMessageId(String providerMessageId) {
      this.providerMessageId = providerMessageId;
      return this;
    }

    /** Required. */
    public Builder from(PhoneNumber from) {
      this.from = from;
      return this;
    }

    /** Required. */
    public Builder to(Originator to) {
      this.to = to;
      return this;
    }

    /** Default empty. */
    public Builder body(String body) {
      this.body = Objects.requireNonNull(body, "body == null");
      return this;
    }

    /** Required. */
    public Builder receivedAt(Instant receivedAt) {
      this.receivedAt = receivedAt;
      return this;
    }

    /** Default 1. */
    public Builder parts(int parts) {
      this.parts = parts;
      return this;
    }

    /** Default none. */
    public Builder mediaUrls(List<URI> mediaUrls) {
      this.mediaUrls = Objects.requireNonNull(mediaUrls, "mediaUrls == null");
      return this;
    }

    /** Default none. */
    public Builder attributes(Map<String, String> attributes) {
      this.attributes = Objects.requireNonNull(attributes, "attributes == null");
      return this;
    }

    /**
     * @throws SmsValidationException naming a missing field
     */
    public InboundSms build() {
      require(provider, "provider");
      require(providerMessageId, "providerMessageId");
      require(from, "from");
      require(to, "to");
      require(receivedAt, "receivedAt");
      if (parts < 1) {
        throw new SmsValidationException("parts", "must be >= 1: " + parts);
      }
      return new InboundSms(this);
    }
  }

  static void require(Object value, String field) {
    if (value == null) {
      throw new SmsValidationException(field, "is required");
    }
  }
}
